// Vite build of the Tiaodu single-page app into web/dist. The server (`tiaodu serve
// --web-root web/dist`) serves it; `npm run dev` proxies /api to a local server.
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 900,
    // No inline scripts or data: URLs for scripts (CSP default-src 'self').
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus';
          // ECharts only loads with the pages that draw charts
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules')) return 'vendor';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: { '/api': { target: process.env.TIAODU_API || 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
