/**
 * What the environment algebra reads of a project. A normalised manifest satisfies these shapes
 * as it is, so env/ depends on no manifest module and the manifest's validation can use env/.
 */

/** A key path into the manifest, e.g. `['services', 'backend', 'env', 'API']`. */
export type KeyPath = readonly (string | number)[];

/** A problem found in the environment part of a manifest (a manifest `Problem` without position). */
export interface EnvProblem {
  path: KeyPath;
  message: string;
  expected?: string;
  found?: string;
  hint?: string;
  /** Point at the key itself instead of its value. Default false. */
  atKey?: boolean;
}

export interface EnvService {
  /** Not yet `${}`-expanded. */
  command: string | string[];
  host: string;
  /** Preferred primary port (a number or `auto`), or null for a service without one. */
  port: number | 'auto' | null;
  ports: Record<string, number | 'auto'>;
  /** The service's own variables, unexpanded. */
  env: Record<string, string>;
  /** Absolute paths of its dotenv files. */
  env_file: string[];
  /** `url:` template for S_URL (`redis://${HOST}:${PORT}`); null or absent: `http://HOST:PORT`. */
  url?: string | null;
}

export interface EnvProject {
  name: string;
  env: Record<string, string>;
  env_file: string[];
  services: Record<string, EnvService>;
}
