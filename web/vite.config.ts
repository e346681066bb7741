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
  build: { outDir: path.join(root, 'dist'), emptyOutDir: true, chunkSizeWarningLimit: 1500, sourcemap: 'hidden' },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
