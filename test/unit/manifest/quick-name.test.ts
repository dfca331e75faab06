import { basename, dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quickProjectName } from '../../../src/manifest/quick-name.js';
import { check, cleanProjects } from './helpers.js';

afterAll(cleanProjects);

const root = '/projects/shop';
const services = 'services:\n  api:\n    command: node api.js\n    port: 8000\n';

/** The quick name and the full reading's, of a valid manifest in a fresh project folder. */
function bothNames(text: string): [string | undefined, string] {
  const result = check(text);
  if (!result.ok) throw new Error(`invalid test manifest: ${JSON.stringify(result.diagnostics)}`);
  const projectRoot = dirname(result.manifest.file);
  expect(basename(projectRoot)).not.toBe('');
  return [quickProjectName(text, projectRoot), result.manifest.name];
}

describe('quickProjectName: the name without the parser, or undefined', () => {
  // Each valid manifest: the quick answer, when there is one, must be the full reading's name.
  const readable: [string, string][] = [
    ['no name: the folder', services],
    ['a plain name', `name: web-shop\n${services}`],
    ['after the services', `${services}name: web_shop.v2\n`],
    ['single-quoted, with spaces', `name: 'web shop'\n${services}`],
    ['double-quoted', `name: "web shop" # the shop\n${services}`],
    ['a key with spaces before the colon', `name   : shop2\n${services}`],
    ['comments and blank lines', `# the shop\n\nname: shop # here\n\n${services}`],
    ['Windows line ends', `name: shop\r\n${services.replaceAll('\n', '\r\n')}`],
    ['a nested "name:" is not the project\'s', `services:\n  name:\n    command: x\n`],
    ['JSON, with a name', JSON.stringify({ name: 'bench', services: { s: { command: 'x' } } })],
    ['JSON, without', JSON.stringify({ services: { s: { command: 'x' } } }, null, 2)],
    ['a quoted value of another key', `dashboard: false\nenv:\n  A: "1"\nname: x\n${services}`],
  ];
  for (const [what, text] of readable) {
    it(`${what}: the same name as the full reading`, () => {
      const [quick, full] = bothNames(text);
      expect(quick).toBeDefined();
      expect(quick).toBe(full);
    });
  }

  it('names a folder-named project after the folder', () => {
    expect(quickProjectName(services, root)).toBe('shop');
  });

  // Shapes YAML reads differently from a plain reading: left to the parser.
  const unread: [string, string][] = [
    ['a number', `name: 123\n${services}`],
    ['a float', `name: 1.5\n${services}`],
    ['a boolean', `name: true\n${services}`],
    ['null', `name: null\n${services}`],
    ['empty', `name:\n${services}`],
    ['blank, quoted', `name: '  '\n${services}`],
    ['an escape', `name: "a\\tb"\n${services}`],
    ['two quotes in single quotes', `name: 'it''s'\n${services}`],
    ['a duplicate key', `name: a\nname: b\n${services}`],
    ['a quoted key', `"name": a\n${services}`],
    ['an anchor', `name: &n a\n${services}`],
    ['an alias', `x: &n a\nname: *n\n${services}`],
    ['a tag', `name: !!str 12\n${services}`],
    ['a flow mapping', `{name: a, services: {}}`],
    ['a document marker', `---\nname: a\n${services}`],
    ['a directive', `%YAML 1.2\n---\nname: a\n`],
    ['a complex key', `? name\n: a\n${services}`],
    ['a merge key', `<<: {name: a}\n${services}`],
    ['a quote running on', `description: "one\ntwo"\nname: a\n`],
    ['a flow sequence', `env_file: [a,\nb]\nname: a\n`],
    ['a block scalar name', `name: |\n  a\n${services}`],
    ['a byte order mark', `\ufeffname: a\n${services}`],
    ['JSON naming "name" twice', `{"name": "a", "services": {"name": {"command": "x"}}}`],
    ['JSON, a name that is not a string', `{"name": 1, "services": {}}`],
    ['JSON that does not parse', `{"name": "a",}`],
    ['a word at column 0 with no colon', `name: a\nservices\n`],
  ];
  for (const [what, text] of unread) {
    it(`${what}: undefined`, () => {
      expect(quickProjectName(text, root)).toBeUndefined();
    });
  }
});
