import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into web/dist, which `scia console` serves at `/`. Assets use relative
// URLs so the app also works behind a path prefix.
export default defineConfig({
  plugins: [react()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
});
