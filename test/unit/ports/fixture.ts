import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Reads a recorded tool output byte for byte (CRLF kept). */
export function recorded(path: string): string {
  return readFileSync(
    fileURLToPath(new URL(`../../fixtures/recorded/${path}`, import.meta.url)),
    'utf8',
  );
}
