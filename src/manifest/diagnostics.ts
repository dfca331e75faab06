/**
 * A problem found in a manifest. Validation collects every problem at once and never throws;
 * the CLI prints them all (compiler style) and exits 2 without starting anything.
 */

/** A key path into the manifest, e.g. `['services', 'backend', 'port']`. */
export type KeyPath = readonly (string | number)[];

/** What a rule reports: where (by key path) and what is wrong. Positions are added later. */
export interface Problem {
  path: KeyPath;
  /** One sentence: what is wrong. */
  message: string;
  /** What was expected, e.g. `a port number 1–65535`. */
  expected?: string;
  /** What was found, as written, e.g. `70000`. */
  found?: string;
  /** How to fix it, where a fix is likely, e.g. `did you mean "depends_on"?`. */
  hint?: string;
  /**
   * Point at the key itself instead of its value (unknown keys, duplicates of a key).
   * Default false: the value.
   */
  atKey?: boolean;
}

/** A problem placed in its file: 1-based line and column. */
export interface Diagnostic extends Problem {
  file: string;
  line: number;
  column: number;
}
