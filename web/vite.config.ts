import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into web/dist, which `scia console` serves at `/`. Assets use relative
// URLs so the app also works behind a path prefix. `npx vite` serves it for
// development, sending /graphql (HTTP and WebSocket) to the console named by
// SCIA_CONSOLE_URL.
export default defineConfig({
  plugins: [react()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: {
    proxy: { '/graphql': { target: process.env['SCIA_CONSOLE_URL'] ?? 'http://127.0.0.1:8080', ws: true } },
  },
});
