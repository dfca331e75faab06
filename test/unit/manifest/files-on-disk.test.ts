/**
 * A manifest or dotenv file that is not a readable UTF-8 file: a directory or a broken link
 * where the manifest should be, bytes that are not UTF-8, NUL characters. Each is one clear
 * error naming the file (and the line, where there is one), never a skipped file or a value
 * silently changed.
 */
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DevlaunchError } from '../../../src/errors.js';
import { formatDiagnostics } from '../../../src/manifest/format.js';
import { readManifest } from '../../../src/manifest/index.js';
import { MAX_TEXT_BYTES, unreadable } from '../../../src/manifest/read-text.js';
import { cleanProjects, project, valid } from './helpers.js';

afterAll(cleanProjects);

const SERVICE = 'services:\n  a:\n    command: x\n';

function thrown(run: () => unknown): DevlaunchError {
  try {
    run();
  } catch (error) {
    if (error instanceof DevlaunchError) return error;
    throw error;
  }
  throw new Error('expected a DevlaunchError');
}

// Links need privileges on Windows; the tests that make them run elsewhere.
const links = process.platform !== 'win32';

describe.runIf(links)('where the manifest should be', () => {
  // Above each folder is one with a valid manifest: it must not be taken instead.
  const parent = () => project({ 'launcher.yaml': SERVICE, 'sub/': '' });

  it.each([
    ['a directory', (at: string) => mkdirSync(at), 'is a directory, not a file'],
    [
      'a link to nothing',
      (at: string) => symlinkSync('missing.yaml', at),
      'is a symbolic link to nothing',
    ],
    [
      'a loop of links',
      (at: string) => {
        symlinkSync('launcher.yaml', `${at}.other`);
        symlinkSync('launcher.yaml.other', at);
      },
      'is a loop of symbolic links',
    ],
  ])('%s named launcher.yaml is an error naming it, not skipped', (_name, make, reason) => {
    const sub = join(parent(), 'sub');
    make(join(sub, 'launcher.yaml'));
    const error = thrown(() => readManifest({ cwd: sub, env: {} }));
    expect(error.code).toBe('MANIFEST_NOT_FOUND');
    expect(error.message).toBe(`${join(sub, 'launcher.yaml')} ${reason}`);
    expect(error.hint).toContain('-f PATH');
    // The same through -f.
    const given = thrown(() => readManifest({ file: 'launcher.yaml', cwd: sub, env: {} }));
    expect(given.message).toBe(`${join(sub, 'launcher.yaml')} ${reason}`);
  });

  it('a link to a manifest is followed', () => {
    const root = parent();
    symlinkSync(join(root, 'launcher.yaml'), join(root, 'sub', 'launcher.yaml'));
    expect(readManifest({ cwd: join(root, 'sub'), env: {} }).ok).toBe(true);
  });
});

describe('the manifest text', () => {
  it('bytes that are not UTF-8 are one error at the first of them', () => {
    const root = project();
    const file = join(root, 'launcher.yaml');
    writeFileSync(file, Buffer.from('services:\n  a:\n    command: "caf\xe9"\n', 'latin1'));
    const read = readManifest({ cwd: root, env: {} });
    if (read.ok) throw new Error('should be invalid');
    expect(read.diagnostics).toHaveLength(1);
    expect(read.diagnostics[0]).toMatchObject({
      file,
      line: 3,
      column: 18,
      path: ['services', 'a', 'command'],
      expected: 'UTF-8 text',
    });
    expect(read.diagnostics[0]?.message).toContain('byte 0xE9');
    expect(read.diagnostics[0]?.hint).toContain('save the file as UTF-8');
  });

  it('a UTF-16 file is named as such', () => {
    const root = project();
    writeFileSync(join(root, 'launcher.yaml'), Buffer.from(`\ufeff${SERVICE}`, 'utf16le'));
    const read = readManifest({ cwd: root, env: {} });
    if (read.ok) throw new Error('should be invalid');
    expect(read.diagnostics).toHaveLength(1);
    expect(read.diagnostics[0]).toMatchObject({ line: 1, column: 1 });
    expect(read.diagnostics[0]?.hint).toBe('the file is UTF-16: save it as UTF-8');
  });

  it.each([
    ['an empty file', ''],
    ['only a comment', '# nothing yet\n'],
    ['only a document marker', '---\n'],
  ])('%s is "the manifest is empty" at line 1, with what to do', (_name, text) => {
    const root = project({ 'launcher.yaml': text });
    const read = readManifest({ cwd: root, env: {} });
    if (read.ok) throw new Error('should be invalid');
    expect(read.diagnostics).toHaveLength(1);
    expect(read.diagnostics[0]).toMatchObject({ line: 1, message: 'the manifest is empty' });
    expect(read.diagnostics[0]?.hint).toContain('devlaunch init');
  });

  it('a U+FFFD the file really holds is text like any other', () => {
    const root = project({ 'launcher.yaml': `${SERVICE}    env: {A: "\ufffd"}\n` });
    const read = readManifest({ cwd: root, env: {} });
    expect(read.ok && read.manifest.services.a?.env).toEqual({ A: '\ufffd' });
  });

  it.each([
    ['a byte order mark', `\ufeff${SERVICE}`],
    ['CR LF line ends', SERVICE.replace(/\n/g, '\r\n')],
  ])('%s is fine', (_name, text) => {
    const root = project({ 'launcher.yaml': text });
    expect(readManifest({ cwd: root, env: {} }).ok).toBe(true);
  });

  it('a file larger than any manifest is refused unread, like an env_file of that size', () => {
    const root = project({ 'launcher.yaml': `env_file: big.env\n${SERVICE}`, 'big.env': '' });
    truncateSync(join(root, 'big.env'), MAX_TEXT_BYTES + 1);
    const read = readManifest({ cwd: root, env: {} });
    if (read.ok) throw new Error('should be invalid');
    expect(read.diagnostics.map((d) => [d.line, d.message])).toEqual([
      [
        1,
        'env_file big.env cannot be read: it is larger than 8 MiB (8388609 bytes), far more than such a file holds',
      ],
    ]);
    truncateSync(join(root, 'launcher.yaml'), MAX_TEXT_BYTES + 1);
    const manifest = readManifest({ cwd: root, env: {} });
    if (manifest.ok) throw new Error('should be invalid');
    expect(manifest.diagnostics[0]?.message).toMatch(
      /^cannot read the manifest: it is larger than 8 MiB/,
    );
  });

  it('a file that cannot be read says why and what to do, with nothing to quote', () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(unreadable('/p/launcher.yaml', denied)).toEqual({
      reason: 'permission denied',
      hint: 'make it readable for this user (for example chmod a+r /p/launcher.yaml)',
    });
    const diagnostic = { file: '/p/launcher.yaml', line: 1, column: 1, path: [], message: 'm' };
    expect(formatDiagnostics([diagnostic], '', false)).not.toContain(' | ');
  });
});

describe('dotenv files the manifest names', () => {
  const manifest = `env_file: .env\n${SERVICE}`;

  it.each([
    ['not UTF-8', Buffer.from('A=1\nB=caf\xe9\n', 'latin1'), 'line 2: the file is not UTF-8 text'],
    ['UTF-16', Buffer.from('\ufeffA=1\n', 'utf16le'), 'line 1: the file is not UTF-8 text'],
    ['holding a NUL', Buffer.from('A=1\n\nB=x\0y\n'), 'line 3: a NUL character'],
  ])('one %s is an error at env_file naming the line', (_name, content, message) => {
    const root = project({ 'launcher.yaml': manifest });
    writeFileSync(join(root, '.env'), content);
    const read = readManifest({ cwd: root, env: {} });
    if (read.ok) throw new Error('should be invalid');
    expect(read.diagnostics).toHaveLength(1);
    expect(read.diagnostics[0]).toMatchObject({ line: 1, column: 11, path: ['env_file', 0] });
    expect(read.diagnostics[0]?.message).toContain(`env_file .env, ${message}`);
  });

  it.runIf(links)('a loop of links is named as such, at the service that names it', () => {
    const root = project({ 'launcher.yaml': `${SERVICE}    env_file: [.env]\n` });
    symlinkSync('.env2', join(root, '.env'));
    symlinkSync('.env', join(root, '.env2'));
    const read = readManifest({ cwd: root, env: {} });
    if (read.ok) throw new Error('should be invalid');
    expect(read.diagnostics.map((x) => x.message)).toEqual([
      'env_file .env is a loop of symbolic links',
    ]);
    expect(read.diagnostics[0]).toMatchObject({ line: 4, path: ['services', 'a', 'env_file', 0] });
  });

  it.skipIf(process.platform === 'win32')(
    'a device is refused without reading it; /dev/null is empty',
    () => {
      const root = project({
        'launcher.yaml': `env_file: /dev/zero\n${SERVICE}    env_file: /dev/null\n`,
      });
      const read = readManifest({ cwd: root, env: {} });
      if (read.ok) throw new Error('should be invalid');
      expect(read.diagnostics.map((d) => [d.line, d.message])).toEqual([
        [1, 'env_file /dev/zero cannot be read: it is a device or socket, not a file'],
      ]);
    },
  );

  it.runIf(links)('a cwd that is a loop of links is named as such', () => {
    const root = project({ 'launcher.yaml': `${SERVICE}    cwd: app\n` });
    symlinkSync('app2', join(root, 'app'));
    symlinkSync('app', join(root, 'app2'));
    const read = readManifest({ cwd: root, env: {} });
    if (read.ok) throw new Error('should be invalid');
    expect(read.diagnostics.map((d) => d.message)).toEqual(['cwd is a loop of symbolic links']);
  });

  it('a UTF-8 dotenv file with a BOM, CR LF and non-ASCII text is fine', () => {
    const m = valid(`env_file: .env\n${SERVICE}    env: {B: '\${A}'}\n`, {
      '.env': '\ufeffA=café ✓\r\n',
    });
    // Valid: ${A} was found, so the BOM did not become part of its name.
    expect(m.env_file).toHaveLength(1);
  });
});
