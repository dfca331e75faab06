/**
 * ANSI colours, decided once per stream: `--color` forces them (even into a pipe), `--no-color`
 * turns them off; otherwise on when the stream is a terminal or FORCE_COLOR is set, off with
 * NO_COLOR (https://no-color.org), FORCE_COLOR=0 or a non-terminal stream.
 */
import type { Writable } from 'node:stream';

export interface Painter {
  enabled: boolean;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  /** Colour `s` with one of the palette's colours, picked by `index`. */
  pick(index: number, s: string): string;
}

/** Bright, distinguishable foreground colours for service prefixes (no red: it means errors). */
const PALETTE = [36, 35, 33, 32, 34, 96, 95, 93, 92, 94];

/** `wanted`: true for --color (forced), false for --no-color, undefined to decide here. */
export function colorEnabled(
  stream: Writable,
  wanted: boolean | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  if (wanted !== undefined) return wanted;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  // FORCE_COLOR=0 (or false) turns colour off, as in Node and chalk; any other value forces it.
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  if (env.FORCE_COLOR !== undefined) return true;
  return (stream as Writable & { isTTY?: boolean }).isTTY === true && env.TERM !== 'dumb';
}

export function paint(
  stream: Writable,
  wanted: boolean | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Painter {
  return painter(colorEnabled(stream, wanted, env));
}

/** A painter for a colour decision already made (app/options.ts `Terminal.color`). */
export function painter(enabled: boolean): Painter {
  const sgr = (open: number, close: number) => (s: string) =>
    enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return {
    enabled,
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    dim: sgr(2, 22),
    bold: sgr(1, 22),
    pick: (index, s) => sgr(PALETTE[index % PALETTE.length] ?? 36, 39)(s),
  };
}
