// Builds the single-page app into web/dist, which the API server serves at /.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: '/',
  esbuild: { jsx: 'automatic' },
  // Installable: a web manifest, and a service worker that keeps the app's own files (never the API's answers, which
  // hold personal data), so a page opens on a weak network; a new build replaces it at the next visit.
  plugins: [VitePWA({
    registerType: 'autoUpdate',
    injectRegister: 'script',
    manifest: {
      name: '湖南省疫情防控指挥平台', short_name: '疫情防控', description: 'Cordon: joint prevention and control', lang: 'zh-CN', start_url: '/', scope: '/',
      display: 'standalone', theme_color: '#9f1d20', background_color: '#f3f4f6',
      icons: [{ src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
    },
    workbox: {
      globPatterns: ['**/*.{js,css,html,svg}'],
      maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      navigateFallback: '/index.html',
      navigateFallbackDenylist: [/^\/api\//, /^\/docs/],
    },
  })],
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
