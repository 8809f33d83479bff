import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from '../../scripts/vite-precompress.js';

// The admin is a single-page app served under /admin (server/index.ts): hashed assets in dist/assets.
export default defineConfig({
  base: '/admin/',
  plugins: [react(), precompress()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    // `npx vite` in this folder: the API of a store started on :8080 (or at SHOPSTACK_API) answers /api.
    proxy: { '/api': process.env.SHOPSTACK_API ?? 'http://127.0.0.1:8080' },
  },
});
