// Lint rules for the whole repository: TypeScript-aware, with generated output excluded.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'data/', 'coverage/', 'bench/results/', 'reports/', '.stryker-tmp/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config.ts.' }],
    },
  },
  // The rules of hooks on the web app's components (a hook after an early return breaks the page at run time).
  { files: ['web/src/**/*.tsx'], plugins: { 'react-hooks': reactHooks }, rules: { 'react-hooks/rules-of-hooks': 'error' } },
  { files: ['src/config.ts', 'scripts/**', 'bin/**', 'test/**', 'bench/**', '.ci/**', 'stryker.config.mjs'], rules: { 'no-restricted-properties': 'off' } },
);
