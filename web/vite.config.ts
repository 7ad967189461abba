import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web pages (issue 19): built by `npm run build` into dist/web, which the service serves at `/`
 * (src/web/web-app.ts). Every script, style and font comes from node_modules or this
 * folder: no CDN, so the pages work on an intranet with no internet.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    // ECharts' chunk is ~530 kB raw, ~180 kB compressed: the budget that matters is the first
    // load's compressed bytes, held under 500 KB by test/browser/first-load.pages.ts.
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      output: {
        // ECharts (with zrender) is most of the bytes and changes only with its version: its own
        // file, kept by the browser across releases of the pages' own code.
        manualChunks: (id) => (/node_modules\/(echarts|zrender)\//.test(id) ? 'echarts' : undefined),
      },
    },
  },
});
