/**
 * Maps keyed by names the user chooses (services, ports, variables). A plain object answers
 * `constructor`, `toString` or `__proto__` with something it inherited, and assigning
 * `__proto__` replaces its prototype: a service named so would be confused with Object's own
 * members. These objects have no prototype, so every key is exactly what was put in.
 */
export type Dict<V> = Record<string, V>;

/** A prototype-free object with `entries` (later duplicates win); empty without entries. */
export function dict<V>(entries: Iterable<readonly [string, V]> = []): Dict<V> {
  const out = Object.create(null) as Dict<V>;
  for (const [key, value] of entries) out[key] = value;
  return out;
}

/** A prototype-free copy of `record` (its own enumerable keys only). */
export function dictOf<V>(record: Readonly<Record<string, V>> | undefined): Dict<V> {
  return dict(record === undefined ? [] : Object.entries(record));
}

/** Whether `key` is one of `record`'s own keys (never an inherited member such as `toString`). */
export function hasKey(record: object, key: string): boolean {
  return Object.hasOwn(record, key);
}

/*
 * `__proto__` as a key: the schema library (zod) skips it in maps, as a guard against prototype
 * pollution, so it would vanish unchecked. Data is validated with every `__proto__` key renamed
 * to a stand-in the same rules accept, then renamed back into prototype-free objects.
 */

/** Valid wherever `__proto__` is (service, port and variable names), and not a real name. */
export const PROTO_STANDIN = '__devlaunch_proto_key__';
const PROTO = '__proto__';

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** A deep copy of YAML data with every `__proto__` key renamed to the stand-in. */
export function hideProtoKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hideProtoKeys);
  if (!isMap(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key === PROTO ? PROTO_STANDIN : key] = hideProtoKeys(v);
  }
  return out;
}

/** A deep copy with the stand-in renamed back; every map becomes prototype-free. */
export function restoreProtoKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(restoreProtoKeys) as T;
  if (!isMap(value)) return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, v] of Object.entries(value)) {
    out[key === PROTO_STANDIN ? PROTO : key] = restoreProtoKeys(v);
  }
  return out as T;
}
