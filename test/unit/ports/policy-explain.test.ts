import { describe, expect, it } from 'vitest';
import {
  conflictError,
  describeHolder,
  forbiddenHint,
  portLabel,
} from '../../../src/ports/explain.js';

const holder = { pid: 4242, user: 'alice', command: 'node stale-server.js' };

describe('conflictError', () => {
  it('foreign: exit 3 naming port, service, pid, user, command and the ways out', () => {
    const e = conflictError('foreign', { port: 8000, label: 'backend', holders: [holder] });
    expect(e.code).toBe('PORT_CONFLICT');
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain('port 8000 of backend');
    expect(e.message).toContain('pid 4242 (user alice): node stale-server.js');
    for (const s of ['--kill', '--remap', 'devlaunch free 8000', '--port backend=PORT'])
      expect(e.hint).toContain(s);
  });
  it('ours: names the running session and says to stop it with down', () => {
    const e = conflictError('ours', {
      port: 8000,
      label: 'backend',
      holders: [holder],
      session: 'abc123',
    });
    expect(e.message).toContain('session abc123');
    expect(e.hint).toContain('devlaunch down');
    expect(e.exitCode).toBe(3);
  });
  it('refused: says why, and whether --force helps', () => {
    const forceable = conflictError('refused', {
      port: 1,
      label: 'web',
      holders: [holder],
      refusals: [{ forceable: true, reason: 'belongs to another user' }],
    });
    expect(forceable.code).toBe('KILL_REFUSED');
    expect(forceable.exitCode).toBe(3);
    expect(forceable.message).toContain('belongs to another user');
    expect(forceable.hint).toContain('--force');
    const never = conflictError('refused', {
      port: 1,
      label: 'web',
      holders: [holder],
      refusals: [{ forceable: false, reason: 'init' }],
    });
    expect(never.hint).toContain('even with --force');
  });
  it('aborted and unknown are exit 3', () => {
    expect(conflictError('aborted', { port: 5, label: 'a', holders: [holder] }).message).toMatch(
      /^aborted/,
    );
    expect(conflictError('unknown', { port: 5, label: 'a', holders: [] }).exitCode).toBe(3);
  });
  it('an unseen holder: how to see it, as root on POSIX and elevated on Windows', () => {
    const on = (platform: NodeJS.Platform) =>
      conflictError('unknown', { port: 5, label: 'a', holders: [], platform }).hint ?? '';
    expect(on('linux')).toContain('See it as root with devlaunch ports 5');
    expect(on('darwin')).toContain('as root');
    expect(on('win32')).toContain('See it from an elevated (administrator) prompt');
    expect(on('win32')).not.toContain('root');
  });
  it('forbidden on Linux: privileged port, how to pick another and what allows it', () => {
    const e = conflictError('forbidden', {
      port: 80,
      label: 'web',
      holders: [],
      code: 'EACCES',
      platform: 'linux',
    });
    expect(e.code).toBe('PORT_FORBIDDEN');
    expect(e.message).toContain('privileged');
    for (const s of [
      '--port web=PORT',
      'above 1023',
      'setcap',
      'cap_net_bind_service',
      'ip_unprivileged_port_start',
      'root',
    ]) {
      expect(e.hint).toContain(s);
    }
  });
  it('forbidden on Windows: reserved ranges and the netsh command', () => {
    const e = conflictError('forbidden', {
      port: 50000,
      label: 'web',
      holders: [],
      code: 'EACCES',
      platform: 'win32',
    });
    expect(e.message).toContain('10013');
    expect(e.message).toContain('Hyper-V');
    expect(e.hint).toContain('netsh interface ipv4 show excludedportrange protocol=tcp');
  });
  it('forbidden on macOS below 1024 says root', () => {
    expect(forbiddenHint(80, 'web', 'darwin')).toContain('run as root');
  });
});

describe('labels and holders', () => {
  it('labels primary and named ports', () => {
    expect(portLabel('backend', 'primary')).toBe('backend');
    expect(portLabel('backend', 'debug')).toBe('backend.debug');
  });
  it('shortens long command lines', () => {
    expect(describeHolder({ ...holder, command: 'x'.repeat(500) }).length).toBeLessThan(160);
  });
});
