import type { GlobalArgs } from '../args.js';
import { notImplemented } from '../not-implemented.js';

export async function run(_args: GlobalArgs): Promise<number> {
  return notImplemented('doctor');
}
