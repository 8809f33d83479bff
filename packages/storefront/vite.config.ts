import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from '../../scripts/vite-precompress.js';

// The client build writes hashed assets and a manifest (the server links a page's scripts and styles
// from it); `vite build --ssr` writes the server renderer to dist/server.
export default defineConfig(({ isSsrBuild }) => ({
  root: import.meta.dirname,
  plugins: [react(), ...(isSsrBuild ? [] : [precompress()])],
  build: {
    target: 'es2022',
    outDir: 'dist/client',
    manifest: !isSsrBuild,
    emptyOutDir: true,
    rollupOptions: isSsrBuild ? {} : { input: path.join(import.meta.dirname, 'src', 'entry-client.tsx') },
  },
}));
