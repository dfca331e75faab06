/**
 * Pages of a log file by byte offset, so the page can scroll back through a million lines while
 * holding only a window of them: each read touches about `limit` lines, wherever they are.
 * Only whole lines are returned (a line still being written is left for the next read).
 */
import { open } from 'node:fs/promises';
import type { LogPage } from './types.js';

const CHUNK = 64 * 1024;
const LF = 0x0a;

/** The last `limit` whole lines that end at or before `before` (default: the end of the file). */
export async function readBefore(
  file: string,
  before: number | undefined,
  limit: number,
): Promise<LogPage> {
  const handle = await openOrNull(file);
  if (handle === null) return { lines: [], start: 0, end: 0, size: 0 };
  try {
    const size = (await handle.stat()).size;
    let end = Math.min(before ?? size, size);
    // Only whole lines: the end moves back to just after the last newline before it.
    const chunks: Buffer[] = [];
    let pos = end;
    let newlines = 0;
    let start = end;
    let trimmedEnd = false;
    while (pos > 0) {
      const from = Math.max(0, pos - CHUNK);
      const buf = Buffer.alloc(pos - from);
      await handle.read(buf, 0, buf.length, from);
      let cut = buf.length;
      if (!trimmedEnd) {
        const last = buf.lastIndexOf(LF);
        if (last === -1) {
          pos = from;
          end = from;
          continue;
        }
        cut = last + 1;
        end = from + cut;
        trimmedEnd = true;
      }
      // Count newlines backwards; the one ending the line before the first wanted line stops.
      let i = cut - 1;
      for (; i >= 0; i--) {
        if (buf[i] === LF && from + i + 1 < end) {
          newlines += 1;
          if (newlines === limit) break;
        }
      }
      if (i >= 0) {
        chunks.unshift(buf.subarray(i + 1, cut));
        start = from + i + 1;
        break;
      }
      chunks.unshift(buf.subarray(0, cut));
      start = from;
      pos = from;
    }
    if (!trimmedEnd) return { lines: [], start: end, end, size };
    return { lines: split(Buffer.concat(chunks)), start, end, size };
  } finally {
    await handle.close();
  }
}

/** Up to `limit` whole lines starting at byte `after` (a line start the page got earlier). */
export async function readAfter(file: string, after: number, limit: number): Promise<LogPage> {
  const handle = await openOrNull(file);
  if (handle === null) return { lines: [], start: 0, end: 0, size: 0 };
  try {
    const size = (await handle.stat()).size;
    const start = Math.min(after, size);
    const chunks: Buffer[] = [];
    let pos = start;
    let end = start;
    let count = 0;
    while (pos < size && count < limit) {
      const buf = Buffer.alloc(Math.min(CHUNK, size - pos));
      const { bytesRead } = await handle.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead && count < limit; i++) {
        if (buf[i] === LF) {
          count += 1;
          end = pos + i + 1;
        }
      }
      chunks.push(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
    // Whole lines only: what follows the last counted newline is left for the next read.
    return { lines: split(Buffer.concat(chunks).subarray(0, end - start)), start, end, size };
  } finally {
    await handle.close();
  }
}

function split(buf: Buffer): string[] {
  if (buf.length === 0) return [];
  return buf.toString('utf8', 0, buf.length - 1).split('\n');
}

async function openOrNull(file: string) {
  try {
    return await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
