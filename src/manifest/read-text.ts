/**
 * Reading a text file the manifest depends on (the manifest itself, its dotenv files) without
 * losing anything: bytes that are not UTF-8 would otherwise become U+FFFD without a word, and a
 * file that cannot be read is said so in words, not as an errno.
 */

import { isUtf8 } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';

export type TextRead =
  | { ok: true; text: string }
  /** `text` is the file decoded with U+FFFD for what is not UTF-8; `index` the first such spot. */
  | { ok: false; text: string; index: number; byte: number; utf16: boolean }
  | { ok: false; text: null; reason: string; hint: string };

/**
 * Larger is refused unread: a manifest or dotenv file is a few kilobytes, and parsing a file of
 * hundreds of megabytes (a wrong path, a log) would take minutes and gigabytes, then crash.
 */
export const MAX_TEXT_BYTES = 8 * 1024 * 1024;

export function readText(path: string): TextRead {
  let bytes: Buffer;
  try {
    // A file, a named pipe (some secret managers serve a .env so) or /dev/null; not another
    // device, which may never end.
    const stat = statSync(path);
    if (!stat.isFile() && !stat.isFIFO() && path !== '/dev/null') {
      const hint = 'name a regular file (a device such as /dev/zero or /dev/stdin never ends)';
      return { ok: false, text: null, reason: 'it is a device or socket, not a file', hint };
    }
    const { size } = stat;
    if (size > MAX_TEXT_BYTES) {
      const limit = `${MAX_TEXT_BYTES / 1024 / 1024} MiB`;
      return {
        ok: false,
        text: null,
        reason: `it is larger than ${limit} (${size} bytes), far more than such a file holds`,
        hint: 'check that the path names the right file',
      };
    }
    bytes = readFileSync(path);
  } catch (error) {
    return { ok: false, text: null, ...unreadable(path, error) };
  }
  const text = bytes.toString('utf8');
  if (isUtf8(bytes)) return { ok: true, text };
  const utf16 =
    (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  let at = 0;
  let index = 0;
  for (const char of text) {
    // Everything before the first bad sequence decoded as it is; a U+FFFD there is not one
    // the file holds (EF BF BD) but one standing for bytes that are not UTF-8.
    if (
      char === '\ufffd' &&
      !(bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd)
    ) {
      return { ok: false, text, index, byte: bytes[at] ?? 0, utf16 };
    }
    at += Buffer.byteLength(char);
    index += char.length;
  }
  return { ok: false, text, index: 0, byte: bytes[0] ?? 0, utf16 };
}

/** 1-based line and column of `index` in `text`. */
export function lineAndColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const start = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: index - start + 1 };
}

/** Why `path` could not be read, and what to do, from the error `readFileSync` threw. */
export function unreadable(path: string, error: unknown): { reason: string; hint: string } {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return {
        reason: 'permission denied',
        hint: `make it readable for this user (for example chmod a+r ${path})`,
      };
    case 'ENOENT':
      return { reason: 'it does not exist', hint: 'create it, or fix the path' };
    case 'ELOOP':
      return { reason: 'it is a loop of symbolic links', hint: 'point the link at a real file' };
    case 'EISDIR':
      return { reason: 'it is a directory', hint: 'name a file, not a directory' };
    default:
      return {
        reason: error instanceof Error ? error.message : String(error),
        hint: 'check that the file exists and can be read',
      };
  }
}

/** The message for a file that is not UTF-8. */
export function notUtf8(read: { byte: number; utf16: boolean }): { message: string; hint: string } {
  const byte = `0x${read.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return {
    message: `the file is not UTF-8 text: byte ${byte} here is not valid UTF-8 (it would be lost)`,
    hint: read.utf16
      ? 'the file is UTF-16: save it as UTF-8'
      : 'save the file as UTF-8 (it may be in Latin-1 or another older encoding)',
  };
}
