/** Reading a child's pipe: into the shared buffer, or into memory of its own while asked to. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readChunks } from '../../../src/output/reader.js';

// Every 20 ms, alternately 40,000 bytes and 10 bytes (a digit repeated), 20 writes in all.
const PRINTER = `
let i = 0;
const t = setInterval(() => {
  process.stdout.write(String(i % 10).repeat(i % 2 === 0 ? 40000 : 10));
  if (++i === 20) clearInterval(t);
}, 20);
`;

describe('readChunks on a child process', () => {
  it("reads a child's pipe into memory of its own while asked to, and hands it on as owned", async () => {
    const child = spawn(process.execPath, ['-e', PRINTER], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      let fresh = false;
      const chunks: { text: string; owned: boolean; memory: ArrayBufferLike }[] = [];
      await new Promise<void>((resolve) =>
        readChunks(
          child.stdout,
          (bytes, owned) => {
            chunks.push({ text: bytes.toString(), owned, memory: bytes.buffer });
            fresh = chunks.length >= 2; // from the third read on (asked before each read)
          },
          resolve,
          () => fresh,
        ),
      );
      const expected = Array.from({ length: 20 }, (_, i) =>
        String(i % 10).repeat(i % 2 === 0 ? 40000 : 10),
      );
      expect(chunks.map((c) => c.text).join('') === expected.join('')).toBe(true);
      const owned = chunks.filter((c) => c.owned);
      expect(chunks[0]?.owned).toBe(false);
      expect(owned.length).toBeGreaterThan(0);
      // Each owned chunk has memory of its own, never the shared read buffer; a read that
      // filled little (10 bytes) is handed on as the shared buffer's are, to be copied.
      expect(new Set(owned.map((c) => c.memory)).size).toBe(owned.length);
      expect(owned.some((c) => c.memory === chunks[0]?.memory)).toBe(false);
      expect(owned.every((c) => c.text.length >= 32768)).toBe(true);
      expect(chunks.some((c) => !c.owned && c.text.length < 100)).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
