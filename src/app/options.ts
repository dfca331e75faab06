/**
 * The options of the use cases, as the command line gives them (`cli/` parses argv into these;
 * only `cli/main.ts` knows yargs).
 */
import type { Writable } from 'node:stream';

export interface GlobalArgs {
  /** `-f/--file`: the manifest, overriding discovery and `DEVLAUNCH_FILE`. */
  file: string | undefined;
  dynamic: boolean;
  kill: boolean;
  remap: boolean;
  fail: boolean;
  force: boolean;
  /** `--exit-on-failure`: a service failing after start-up stops the session (default: reported, the rest runs on). */
  exitOnFailure: boolean;
  /** `--port NAME=PORT`, repeatable, as written. */
  port: string[];
  open: boolean;
  /** `--color` true (forced, even when piped), `--no-color` false, absent undefined (auto). */
  color: boolean | undefined;
  json: boolean;
  verbose: boolean;
}

export interface UpArgs extends GlobalArgs {
  services: string[];
  detach: boolean;
  /** `--dry-run`: print the launch plan, change nothing. */
  dryRun: boolean;
  /** `--no-dashboard`: serve no dashboard this time. Default true. */
  dashboard: boolean;
}

export interface DownArgs extends GlobalArgs {
  services: string[];
  /** `--all`: every session of the project, `--dynamic` ones included. Default false. */
  all: boolean;
  /** `--session ID`: that session only. */
  session: string | undefined;
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
  /** `--session ID`: that session's logs (a running or the last finished `--dynamic` one). */
  session: string | undefined;
  follow: boolean;
  lines: number | undefined;
}

/**
 * What the use cases know of the process they run in, read once by cli/ (the only reader of
 * the process globals) and never changed: the standard streams, the environment, the working
 * folder, and the decisions made from them once: who is at the terminal, and colour.
 */
export interface Terminal {
  stdin: { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** A copy of devlaunch's environment: services inherit it; nothing writes to it. */
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The script devlaunch runs as (`process.argv[1]`), to start a background supervisor. */
  script: string;
  /** A person can be asked: stdin and stdout are both terminals. */
  interactive: boolean;
  /** Colour on each stream (--no-color, NO_COLOR, FORCE_COLOR, TERM=dumb, a terminal). */
  color: { stdout: boolean; stderr: boolean };
}

/**
 * What the use case of a command that is not `up` gets from cli/: where it runs, and how to tell
 * the user something while it works (cli/ decides the stream and the colour).
 */
export interface CommandContext {
  cwd: string;
  /** devlaunch's environment, read once by cli/; nothing writes to it. */
  env: Readonly<Record<string, string | undefined>>;
  /** devlaunch's own message (`devlaunch port 8000 is free`). */
  say: (text: string) => void;
  /** A warning: the command goes on. */
  warn: (text: string) => void;
}
