/** The shipped JSON Schema and the documented example both come from, and agree with, the one schema. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { manifestJsonSchema } from '../../../src/manifest/json-schema.js';
import { validateManifest } from '../../../src/manifest/validate.js';
import { cleanProjects } from './helpers.js';

afterAll(cleanProjects);

const repo = resolve(import.meta.dirname, '../../..');
const exampleText = readFileSync(join(repo, 'launcher.yaml.example'), 'utf8');

interface JsonSchema {
  title?: string;
  properties: Record<string, JsonSchema & { description?: string }>;
  additionalProperties: JsonSchema | boolean;
}

const schema = manifestJsonSchema() as unknown as JsonSchema;
const serviceSchema = (schema.properties.services?.additionalProperties ?? {}) as JsonSchema;
const readySchema = serviceSchema.properties.ready as JsonSchema;

/** Every key written in the example, commented or not, at each level. */
function keysOf(value: unknown): Set<string> {
  return new Set(value && typeof value === 'object' ? Object.keys(value) : []);
}

describe('launcher.schema.json', () => {
  it('has a title and a description for every top-level and service key', () => {
    expect(schema.title).toMatch(/devlaunch/);
    for (const [key, prop] of [
      ...Object.entries(schema.properties),
      ...Object.entries(serviceSchema.properties),
    ]) {
      expect(prop.description, key).toBeTruthy();
    }
  });

  it('rejects unknown keys, like validation does', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(serviceSchema.additionalProperties).toBe(false);
  });

  it('is what npm run build wrote to launcher.schema.json', () => {
    const file = join(repo, 'launcher.schema.json');
    if (!existsSync(file)) return; // not built yet in this checkout
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(manifestJsonSchema());
  });
});

describe('launcher.yaml.example', () => {
  const example = parse(exampleText) as Record<string, unknown>;
  const services = Object.values(example.services as Record<string, unknown>);

  it('documents every top-level key of the schema, and no other', () => {
    expect([...keysOf(example)].sort()).toEqual(Object.keys(schema.properties).sort());
  });

  it('documents every service key and every ready key of the schema', () => {
    const serviceKeys = new Set(services.flatMap((s) => [...keysOf(s)]));
    expect([...serviceKeys].sort()).toEqual(Object.keys(serviceSchema.properties).sort());
    const readyKeys = new Set(
      services.flatMap((s) => [...keysOf((s as { ready?: unknown }).ready)]),
    );
    expect([...readyKeys].sort()).toEqual(Object.keys(readySchema.properties).sort());
  });

  it('is a valid manifest where it stands (its env_file entries exist)', () => {
    const result = validateManifest(exampleText, { file: join(repo, 'launcher.yaml'), env: {} });
    const messages = result.ok ? [] : result.diagnostics.map((d) => d.message);
    expect(messages).toEqual([]);
  });
});
