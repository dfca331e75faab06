/** The parsed command line as the commands see it. Only `cli/main.ts` knows yargs. */
export interface GlobalArgs {
  /** `-f/--file`: the manifest, overriding discovery and `DEVLAUNCH_FILE`. */
  file: string | undefined;
  dynamic: boolean;
  kill: boolean;
  remap: boolean;
  fail: boolean;
  force: boolean;
  /** `--port NAME=PORT`, repeatable, as written. */
  port: string[];
  open: boolean;
  color: boolean;
  json: boolean;
  verbose: boolean;
}

export interface UpArgs extends GlobalArgs {
  services: string[];
  detach: boolean;
  /** `--no-dashboard`: serve no dashboard this time. Default true. */
  dashboard: boolean;
}

export interface DownArgs extends GlobalArgs {
  services: string[];
}

export interface RestartArgs extends GlobalArgs {
  services: string[];
}

export interface RunArgs extends GlobalArgs {
  services: string[];
  /** The command after `--`. */
  command: string[];
  quiet: boolean;
}

export interface EnvArgs extends GlobalArgs {
  service: string | undefined;
  shell: boolean;
}

export interface PortsArgs extends GlobalArgs {
  ports: number[];
}

export interface FreeArgs extends GlobalArgs {
  ports: number[];
  yes: boolean;
}

export interface LogsArgs extends GlobalArgs {
  services: string[];
  follow: boolean;
  lines: number | undefined;
}

/** Every command module exports `run` with this shape and returns the exit code. */
export type CommandRun<A extends GlobalArgs = GlobalArgs> = (args: A) => Promise<number>;
