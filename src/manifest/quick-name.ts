/**
 * The project's name (`name:`, else the root folder's name) read from a manifest's text without
 * the YAML parser or the schema, for `status` when nothing runs: it then needs the name only,
 * and loading and running the validator would be most of its start-up.
 *
 * It reads only the plainest shapes — a block mapping whose top-level keys are simple words, or
 * a JSON object — and answers undefined for anything else (flow or complex keys, anchors, tabs,
 * several documents, escapes, a `name` that YAML would not read as a plain string): the caller
 * then reads the manifest the full way. An answer is the name the manifest gives, as the full
 * reading would give it when the manifest is valid (when it is not, that reading falls back to
 * the folder's name and warns; nothing runs here for the warning to matter to).
 */
import { basename } from 'node:path';

/** A top-level key of a block mapping: a word at column 0, a colon, then a space or the end. */
const TOP_KEY = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?=[ \t]|$)(.*)$/;

/**
 * A `name:` value YAML reads as exactly this string: a plain word starting with a letter or `_`
 * (never a number, `null` or a boolean once those are excluded), or quoted without escapes;
 * then at most a comment.
 */
const NAME_VALUE = /^[ \t]+(?:([A-Za-z_][A-Za-z0-9_.-]*)|'([^']*)'|"([^"\\]*)")[ \t]*(?:#.*)?$/;
const NOT_A_STRING = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;

export function quickProjectName(text: string, root: string): string | undefined {
  const name = text.trimStart().startsWith('{') ? fromJson(text) : fromBlock(text);
  if (name === null) return basename(root);
  return name !== undefined && /\S/.test(name) ? name : undefined;
}

/** null: no `name` key; undefined: not a shape read here. */
function fromJson(text: string): string | null | undefined {
  // A second "name" anywhere (a service called name, a duplicate key) is left to the parser.
  if (text.indexOf('"name"') !== text.lastIndexOf('"name"')) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  if (!Object.hasOwn(data, 'name')) return null;
  const name = (data as { name: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

function fromBlock(text: string): string | null | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  let name: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    const first = line[0];
    if (first === undefined || first === '#') continue;
    if (first === ' ') continue; // inside a top-level key's value
    const key = TOP_KEY.exec(line);
    if (key === null) return undefined; // ---, %YAML, "quoted": keys, ? complex, { flow }, tabs…
    const value = key[2] ?? '';
    // A value that may run on over the next lines at column 0 (an open quote or flow
    // collection), or an anchor, alias or tag: left to the parser.
    if (/^[ \t]*["'[{&*!]/.test(value) && key[1] !== 'name') {
      if (!/^[ \t]*(?:"[^"\\]*"|'[^']*')[ \t]*(?:#.*)?$/.test(value)) return undefined;
    }
    if (key[1] !== 'name') continue;
    if (name !== null) return undefined; // a duplicate key makes the manifest invalid
    const found = NAME_VALUE.exec(value);
    if (found === null) return undefined;
    const plain = found[1];
    if (plain !== undefined && NOT_A_STRING.test(plain)) return undefined;
    name = plain ?? found[2] ?? found[3] ?? '';
  }
  return name;
}
