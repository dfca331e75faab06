/** `devlaunch config` from the built CLI: the normalised manifest, or every problem and exit 2. */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const bin = resolve(import.meta.dirname, '../../bin/devlaunch.js');
const roots: string[] = [];

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function projectWith(text: string): string {
  const root = mkdtempSync(join(tmpdir(), 'devlaunch-config-'));
  roots.push(root);
  writeFileSync(join(root, 'launcher.yaml'), text);
  return root;
}

function devlaunch(args: string[], cwd: string, env: Record<string, string> = {}) {
  const { NO_COLOR: _n, FORCE_COLOR: _f, DEVLAUNCH_FILE: _d, ...base } = process.env;
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const VALID =
  'stop_timeout: 2s\nservices:\n  api:\n    command: node api.js\n    port: 8000\n  web:\n    command: [node, web.js]\n    depends_on: [api]\n';

describe('devlaunch config', () => {
  it('prints the normalised manifest as JSON with --json', () => {
    const root = projectWith(VALID);
    const { code, stdout, stderr } = devlaunch(['config', '--json'], root);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const manifest = JSON.parse(stdout);
    expect(manifest.file).toBe(join(root, 'launcher.yaml'));
    expect(manifest.services.api).toMatchObject({ port: 8000, stop_timeout: 2000, cwd: root });
    expect(manifest.services.web.depends_on).toEqual({ api: 'ready' });
    expect(stdout).toBe(`${JSON.stringify(manifest, null, 2)}\n`);
  });

  it('prints YAML under a comment naming the file, found by walking up', () => {
    const root = projectWith(VALID);
    mkdirSync(join(root, 'sub'));
    const { code, stdout } = devlaunch(['config'], join(root, 'sub'));
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^# .*launcher\.yaml/);
    expect(parse(stdout).services.api.ready).toEqual({ tcp: true, timeout: 60000, interval: 500 });
  });

  it.each([
    [
      'a port out of range',
      'services:\n  a:\n    command: x\n    port: 70000\n',
      ':4:11 error services.a.port',
    ],
    ['an unknown key', 'services:\n  a:\n    comand: x\n', ':3:5 error services.a.comand'],
    [
      'a cycle',
      'services:\n  a:\n    command: x\n    depends_on: [a]\n',
      'dependency cycle: a → a',
    ],
    ['invalid YAML', 'services:\n  a: [x\n', ':2:'],
  ])('exits 2 with nothing on stdout for %s (-f)', (_name, text, expected) => {
    const root = projectWith(text);
    const { code, stdout, stderr } = devlaunch(
      ['config', '-f', join(root, 'launcher.yaml')],
      tmpdir(),
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(expected);
    expect(stderr).not.toContain('\u001b[');
  });

  it('reports every problem at once', () => {
    const root = projectWith(
      'services:\n  a:\n    command: ""\n    port: 0.5\n    restart: nope\n    stop_signal: SIGFOO\n    stop_timeout: later\n',
    );
    const { code, stderr } = devlaunch(['config'], root);
    expect(code).toBe(2);
    expect(stderr).toMatch(/5 errors in launcher\.yaml/);
  });

  it.each([
    ['port: abc', 'services.backend.port'],
    ['port: 99999', 'services.backend.port'],
    ['ports: { debug: nope }', 'services.backend.ports.debug'],
  ])('a bad %s is one located error, none about the variables it gives', (line, path) => {
    const root = projectWith(
      `services:\n  backend:\n    command: x\n    port: 8000\n    ${line}\n  web:\n    command: y\n    env:\n      API: \${BACKEND_URL}\n      DEBUG: \${BACKEND_DEBUG_PORT:-none}\n`.replace(
        line.startsWith('port:') ? '    port: 8000\n' : '\u0000',
        '',
      ),
    );
    for (const command of [['config'], ['up']]) {
      const { code, stdout, stderr } = devlaunch(command, root);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/1 error in launcher\.yaml/);
      expect(stderr).toMatch(
        new RegExp(`launcher\\.yaml:[45]:\\d+ error ${path.replace(/\./g, '\\.')}`),
      );
      expect(stderr).not.toContain('BACKEND_URL');
    }
  });

  it.each([
    [
      'an alias inside its own anchor',
      'services: &s\n  a:\n    command: x\n    more: *s\n',
      ':4:11 error services.a.more: *s is inside',
    ],
    [
      'an alias cycle through <<',
      'services:\n  a: &a\n    command: x\n    <<: *a\n',
      ':4:9 error services.a.<<: *a is inside',
    ],
    [
      'a list as a key',
      'services:\n  a:\n    command: x\n  ? [a, b]\n  : 1\n',
      ':4:5 error services: a list cannot be a key',
    ],
    ['a map as a key', 'services:\n  {a: 1}: x\n', ':2:3 error services: a map cannot be a key'],
  ])(
    '%s is one located error from every command, no crash and no parser warning',
    (_n, text, expected) => {
      const root = projectWith(text);
      for (const command of [['config'], ['up'], ['run', 'a', '--', 'true']]) {
        const { code, stdout, stderr } = devlaunch(command, root);
        expect({ command, code }).toEqual({ command, code: 2 });
        expect(stdout).toBe('');
        expect(stderr).toContain(`launcher.yaml${expected}`);
        expect(stderr).toMatch(/1 error in launcher\.yaml/);
        expect(stderr).not.toMatch(/internal error|RangeError|Warning:/);
      }
      // Commands that can work from the recorded state say the manifest is invalid and go on.
      for (const command of [['down'], ['status'], ['ports']]) {
        const { code, stderr } = devlaunch(command, root);
        expect(code === 0 || code === 3).toBe(true);
        expect(stderr).not.toMatch(/internal error|RangeError|Warning:/);
      }
    },
  );

  // Permissions do not stop root: as root, the CLI runs as nobody (setpriv, util-linux).
  const asRoot = process.getuid?.() === 0;
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
  it.skipIf(process.platform === 'win32' || (asRoot && setpriv === undefined))(
    'an unreadable manifest or env_file is one error saying so; down still works',
    () => {
      // nobody may not be able to read this checkout (a clone in a private temporary folder):
      // the built CLI (self-contained bundles) runs from a copy everyone can read.
      let readableBin = bin;
      if (asRoot) {
        const copy = mkdtempSync(join(tmpdir(), 'devlaunch-cli-'));
        roots.push(copy);
        const checkout = resolve(import.meta.dirname, '../..');
        for (const dir of ['bin', 'dist'])
          cpSync(join(checkout, dir), join(copy, dir), { recursive: true });
        chmodSync(copy, 0o755);
        readableBin = join(copy, 'bin', 'devlaunch.js');
      }
      const run = (args: string[], cwd: string) => {
        if (!asRoot) return devlaunch(args, cwd);
        const { NO_COLOR: _n, FORCE_COLOR: _f, DEVLAUNCH_FILE: _d, ...env } = process.env;
        const ids = ['--reuid=65534', '--regid=65534', '--clear-groups'];
        const result = spawnSync(
          setpriv as string,
          [...ids, process.execPath, readableBin, ...args],
          {
            cwd,
            env,
            encoding: 'utf8',
            timeout: 20_000,
          },
        );
        return { code: result.status, stdout: result.stdout, stderr: result.stderr };
      };
      const root = projectWith('env_file: .env\nservices:\n  a:\n    command: x\n');
      writeFileSync(join(root, '.env'), 'A=1\n');
      for (const path of [root, join(root, '.env'), join(root, 'launcher.yaml')]) {
        chmodSync(path, 0o755);
      }
      chmodSync(join(root, '.env'), 0o000);
      const env = run(['config'], root);
      expect(env.code).toBe(2);
      expect(env.stderr).toContain(
        'launcher.yaml:1:11 error env_file[0]: env_file .env cannot be read: permission denied',
      );

      chmodSync(join(root, 'launcher.yaml'), 0o000);
      const manifest = run(['config'], root);
      expect(manifest.code).toBe(2);
      expect(manifest.stderr).toContain(
        'launcher.yaml:1:1 error: cannot read the manifest: permission denied',
      );
      expect(manifest.stderr).toContain('chmod a+r');
      const down = run(['down'], root);
      expect(down.stderr).toContain('not a valid manifest right now');
      expect(down.code).toBe(0);
    },
  );

  it('launcher.yaml.example passes where it stands, from the repository root', () => {
    const repo = resolve(import.meta.dirname, '../..');
    const { code, stderr } = devlaunch(['config', '-f', 'launcher.yaml.example'], repo);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('exits 2 with a hint when there is no manifest', () => {
    const root = mkdtempSync(join(tmpdir(), 'devlaunch-config-none-'));
    roots.push(root);
    const { code, stderr } = devlaunch(['config'], root);
    expect(code).toBe(2);
    expect(stderr).toMatch(/devlaunch init/);
  });
});
