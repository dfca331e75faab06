// WebAssembly text (.wat) to its binary form, with wabt. The build (scripts/build.mjs) and the
// tests (vitest.config.ts) both import `.wat` files through this, so the text is the only source.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import wabtInit from 'wabt';

let wabt;

/** The binary module of the `.wat` file at `path`. */
export async function watToWasm(path) {
  wabt ??= await wabtInit();
  const module = wabt.parseWat(basename(path), readFileSync(path, 'utf8'));
  try {
    module.resolveNames();
    module.validate();
    return Buffer.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
