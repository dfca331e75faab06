import { defineConfig } from 'vitest/config';
import { watToWasm } from './scripts/wat.mjs';

/**
 * Three tiers, each a project (`vitest run --project unit`):
 * - unit: pure logic and recorded OS output, no processes; runs in seconds;
 * - integration: several modules with fake children and real timers;
 * - e2e: the built CLI and real processes, ports and signals.
 * `npm test` runs all three.
 */
export default defineConfig({
  // `.wat` imports as the build has them (scripts/build.mjs): the assembled module's bytes.
  plugins: [
    {
      name: 'wat',
      async load(id: string) {
        if (!id.endsWith('.wat')) return null;
        const base64 = (await watToWasm(id)).toString('base64');
        return `export default new Uint8Array(Buffer.from('${base64}', 'base64'));`;
      },
    },
  ],
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests start real processes; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
    // The dashboard imports its page's stylesheet as text (`style.css?raw`); without this,
    // vitest hands every CSS import an empty string.
    css: { include: [/src\/dashboard\/page\//] },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'src/**/*.test.ts'],
          // Pure tests share one module graph per worker: importing src/ once per file, not
          // once per test file, is most of the tier's time.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
    ],
  },
});
