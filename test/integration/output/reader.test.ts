/** Reading a child's pipe: into the shared buffer, or into memory of its own while asked to. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readChunks } from '../../../src/output/reader.js';

describe('readChunks on a child process', () => {
  it("reads a child's pipe into memory of its own while asked to, and hands it on as owned", async () => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        "let i = 0; const t = setInterval(() => { process.stdout.write('chunk ' + i + '\\n'); if (++i === 20) clearInterval(t); }, 20);",
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
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
      expect(chunks.map((c) => c.text).join('')).toBe(
        Array.from({ length: 20 }, (_, i) => `chunk ${i}\n`).join(''),
      );
      const owned = chunks.filter((c) => c.owned);
      expect(chunks[0]?.owned).toBe(false);
      expect(owned.length).toBeGreaterThan(0);
      // Each owned chunk has memory of its own, never the shared read buffer.
      expect(new Set(owned.map((c) => c.memory)).size).toBe(owned.length);
      expect(owned.some((c) => c.memory === chunks[0]?.memory)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
