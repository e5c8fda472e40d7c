import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// In development the API lives behind the gateway; in production the gateway serves this
// build itself, so the app only ever calls same-origin `/api/v1/...` URLs.
const gateway = process.env.PITWALL_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': { target: gateway, changeOrigin: true } },
  },
  build: { outDir: 'dist', sourcemap: true },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    // CI machines can be busy: a slow test is not a failing one.
    testTimeout: 20_000,
  },
});
