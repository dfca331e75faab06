/**
 * The normalised manifest: what every later stage (planning, supervising, `config --json`)
 * works with. Every default is filled, every duration is in milliseconds and every path is
 * absolute. Key names follow the manifest's own keys so `config --json` is this object as-is.
 *
 * The raw, as-written shape comes from the schema in `schema.ts` (the single source of
 * validation, raw types and `launcher.schema.json`); `normalize.ts` maps raw to this.
 */

export type DependencyCondition = 'started' | 'ready' | 'completed';
export type ConflictPolicy = 'ask' | 'kill' | 'remap' | 'fail';
export type RestartPolicy = 'no' | 'on-failure' | 'always';

/** A preferred port: a number 1–65535, or `auto` (also written `0`): always a free one. */
export type PortPreference = number | 'auto';

/** Probe timing shared by every readiness form. */
export interface ReadyTiming {
  /** Give up after this long, in ms. Default 60 000. */
  timeout: number;
  /** Longest pause between two probes, in ms; polling starts at a few ms and backs off to it. Default 500. */
  interval: number;
}

/**
 * How a service shows it is ready. Exactly one form, as in the manifest.
 * `null` means "started": ready as soon as the process has been spawned.
 */
export type ReadyCheck =
  | ({ tcp: true } & ReadyTiming)
  | ({ http: string } & ReadyTiming)
  | ({ log: string } & ReadyTiming)
  | ({ command: string | string[] } & ReadyTiming);

export interface ServiceConfig {
  /** The service's name, the key under `services`. */
  name: string;
  /** A string runs through the platform shell; a list runs directly. Not yet `${}`-expanded. */
  command: string | string[];
  /** Absolute working directory. Default: the project root. */
  cwd: string;
  /** Preferred primary port, or null for a service without one. */
  port: PortPreference | null;
  /** Extra named ports. Default `{}`. */
  ports: Record<string, PortPreference>;
  /** Host used in URLs and probes. Default `localhost`. */
  host: string;
  /** The service's own variables, unexpanded. Default `{}`. */
  env: Record<string, string>;
  /** Absolute paths of the service's dotenv files. Default `[]`. */
  env_file: string[];
  /** Service name → condition. A list in the manifest means `ready` for each. Default `{}`. */
  depends_on: Record<string, DependencyCondition>;
  /** Default: `{ tcp: true }` for a service with a port, else null ("started"). */
  ready: ReadyCheck | null;
  /** null: `ask` on a terminal, `fail` otherwise, decided at run time. */
  on_conflict: ConflictPolicy | null;
  /** First signal of teardown, e.g. `SIGTERM` (the default). */
  stop_signal: string;
  /** Grace in ms before the whole tree gets SIGKILL. Default: the top-level `stop_timeout`, else 5000. */
  stop_timeout: number;
  /** Default `no`. */
  restart: RestartPolicy;
  /** Default 3. */
  max_restarts: number;
  /** Path or URL opened in the browser once ready, or null. */
  open: string | null;
  /** `url:` template (`redis://${HOST}:${PORT}`), or null for `http://HOST:PORT`. */
  url: string | null;
}

export interface PortRange {
  from: number;
  to: number;
}

export interface Manifest {
  /** Absolute path of the manifest file. */
  file: string;
  /** The directory holding the manifest: relative paths are taken from here. */
  root: string;
  /** Project name. Default: the root folder's name. */
  name: string;
  /** Absolute paths of the global dotenv files. */
  env_file: string[];
  /** Global variables for every service, unexpanded. */
  env: Record<string, string>;
  port_range: PortRange | null;
  /** Default for every service, in ms. Default 5000. */
  stop_timeout: number;
  /** The dashboard's port (0: one from the OS), or false: no dashboard. Default 0. */
  dashboard: number | false;
  services: Record<string, ServiceConfig>;
}
