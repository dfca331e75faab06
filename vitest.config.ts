import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests start real processes; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
    // The dashboard imports its page's stylesheet as text (`style.css?raw`); without this,
    // vitest hands every CSS import an empty string.
    css: { include: [/src\/dashboard\/page\//] },
  },
});
