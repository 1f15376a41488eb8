import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The web workspace: built to dist/web and served by `hiraga serve` at `/` (no second server). */
export default defineConfig(({ command }) => {
  // An empty NODE_ENV in the environment would otherwise make Vite bundle React's development build.
  if (!process.env.NODE_ENV) process.env.NODE_ENV = command === 'build' ? 'production' : 'development';
  return {
    root: here,
    base: '/',
    plugins: [react()],
    build: {
      outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
      emptyOutDir: true,
      sourcemap: false,
      chunkSizeWarningLimit: 800,
    },
    server: {
      // `npx vite --config web/vite.config.ts` for UI work against a running `hiraga serve` on :8080.
      proxy: {
        '/api': 'http://127.0.0.1:8080',
        '/v1': 'http://127.0.0.1:8080',
        '/healthz': 'http://127.0.0.1:8080',
      },
    },
  };
});
