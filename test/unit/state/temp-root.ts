import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** A fresh project root per test, removed afterwards. */
export function useTempRoot(): () => string {
  let root = '';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'devlaunch-state-'));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });
  return () => root;
}
