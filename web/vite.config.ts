import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The portal serves web/dist; in development `vite` proxies the API to a running portal.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': 'http://127.0.0.1:20457', '/auth': 'http://127.0.0.1:20457' },
  },
});
