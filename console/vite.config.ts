/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is served under /console/ by the same origin as the API (the local stack's HTTP
// server, or the deployed API). Every asset is bundled: nothing is fetched from elsewhere at run time.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No data: URIs for our own assets (the CSP allows data: only for the fonts Cloudscape's CSS embeds).
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
  server: {
    // `npm run dev`: the API of a running `./ferry local`, so the dev server is same-origin too.
    proxy: Object.fromEntries(
      ['/customers', '/integrations', '/instances', '/flow-configs', '/executions', '/replays', '/monitors',
        '/alerts', '/api-keys', '/dead-letters', '/webhooks', '/health'].map((p) => [
        p,
        { target: process.env.FERRY_API_URL ?? 'http://127.0.0.1:3000', changeOrigin: false },
      ]),
    ),
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
    css: false,
  },
});
