import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';
import { dataPlugin } from './tools/data';
import { pwaPlugin } from './tools/pwa';

const webRoot = __dirname;
const repoRoot = resolve(webRoot, '..');

export default defineConfig({
  root: webRoot,
  plugins: [dataPlugin(repoRoot), pwaPlugin(webRoot)],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // The server's Content-Security-Policy allows no inline script.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev` next to `tta serve` on 8080.
    proxy: { '/v1': 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
