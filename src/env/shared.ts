/**
 * The environments of a session's services, kept small for as long as the session runs.
 *
 * Every service receives devlaunch's whole environment plus `S_HOST`, `S_PORT` and `S_URL` of
 * every service of the manifest, so each of N environments holds some E + 3N variables and all
 * of them N(E + 3N): memory that grows with the square of the services (12 kB of property
 * storage per service at 50 services with 40 inherited variables, 24 kB at 100), kept for the
 * session's life because a service started again (restart, crash policy) gets the same
 * environment. Yet they differ from service to service by a handful of variables (`PORT`,
 * `HOST`, `DEVLAUNCH_SERVICE`, the service's own `env`). An `EnvStore` keeps the first map it
 * is given whole, and of each map only what differs from that one; `keep` answers a function
 * that builds the map again, equal to the one kept, each time it is called (each spawn).
 */
import { dict } from '../dict.js';

/** Builds a kept map again: a new prototype-free object each call, equal to the one kept. */
export type KeptEnv = () => Record<string, string>;

const NONE: readonly string[] = Object.freeze([]);

export class EnvStore {
  /** The map the others are kept against: a copy of the first one kept. */
  #base: Readonly<Record<string, string>> | null = null;

  /** Keeps `env` (not held: it may be let go or changed after the call). */
  keep(env: Readonly<Record<string, string>>): KeptEnv {
    // Later maps share this one's names and values: each string is kept once.
    this.#base ??= dict(Object.entries(env));
    const base = this.#base;
    // Name, value, name, value…: what `env` sets differently from `base` (or that `base` lacks).
    const changed: string[] = [];
    for (const name of Object.keys(env)) {
      const value = env[name] as string;
      if (!Object.hasOwn(base, name) || base[name] !== value) changed.push(name, value);
    }
    const absent = Object.keys(base).filter((name) => !Object.hasOwn(env, name));
    return rebuild(
      base,
      changed.length === 0 ? NONE : changed.slice(),
      absent.length === 0 ? NONE : absent,
    );
  }
}

function rebuild(
  base: Readonly<Record<string, string>>,
  changed: readonly string[],
  absent: readonly string[],
): KeptEnv {
  return () => {
    const out = dict<string>();
    const skip = absent.length === 0 ? null : new Set(absent);
    for (const name of Object.keys(base)) {
      if (skip === null || !skip.has(name)) out[name] = base[name] as string;
    }
    for (let i = 0; i < changed.length; i += 2) {
      out[changed[i] as string] = changed[i + 1] as string;
    }
    return out;
  };
}
