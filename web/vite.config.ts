// Builds the single-page app into web/dist, which the API server serves at /.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: '/',
  esbuild: { jsx: 'automatic' },
  // Source maps beside the bundles (not referenced from them): the coverage run maps the page's coverage back to web/src.
  build: {
    outDir: path.join(root, 'dist'), emptyOutDir: true, chunkSizeWarningLimit: 1500, sourcemap: 'hidden',
    rollupOptions: {
      // Ant Design, React Router and React Query mark their modules "use client" (for server components, which this app
      // does not use): the bundler drops the directive as it should, and its warnings (one per module) say nothing.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' || (warning.code === 'SOURCEMAP_ERROR' && warning.id?.includes('node_modules'))) return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
