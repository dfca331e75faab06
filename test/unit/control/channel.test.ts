/**
 * The control channel over a real local socket: requests and answers, progress events, errors
 * crossing the socket, a supervisor that is gone, privacy of the socket, and the fallback for
 * project folders too deep for a socket path.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  chooseSocketPath,
  MAX_SOCKET_PATH_BYTES,
  pointerFile,
  projectSocketPath,
} from '../../../src/control/address.js';
import { callControl, SupervisorGone } from '../../../src/control/client.js';
import { parseRequest } from '../../../src/control/protocol.js';
import { type ControlServer, serveControl } from '../../../src/control/server.js';
import { DevlaunchError } from '../../../src/errors.js';
import { useTempRoot } from '../state/temp-root.js';

const posix = process.platform !== 'win32';
const root = useTempRoot();
let server: ControlServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('control channel', () => {
  it('answers a request, streaming events before the result', async () => {
    server = await serveControl({
      root: root(),
      session: 's1',
      handler: async (request, send) => {
        send({ type: 'service-ready', service: 'api', elapsedMs: 5 });
        return { echoed: request };
      },
    });
    const events: string[] = [];
    const result = await callControl(
      { root: root(), session: 's1', onEvent: (e) => events.push(e.type) },
      { op: 'restart', services: ['api'] },
    );
    expect(result).toEqual({ echoed: { op: 'restart', services: ['api'] } });
    expect(events).toEqual(['service-ready']);
  });

  it('brings a DevlaunchError back with its message, hint and exit code', async () => {
    server = await serveControl({
      root: root(),
      session: 's1',
      handler: async () => {
        throw new DevlaunchError('USAGE', 'no service named apu', { hint: 'did you mean api?' });
      },
    });
    const error = await callControl({ root: root(), session: 's1' }, { op: 'ping' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DevlaunchError);
    expect(error).toMatchObject({
      message: 'no service named apu',
      hint: 'did you mean api?',
      exitCode: 2,
    });
  });

  it('says the supervisor is gone when nothing listens', async () => {
    const error = await callControl({ root: root(), session: 'nobody' }, { op: 'ping' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SupervisorGone);
    expect((error as Error).message).toMatch(/session nobody does not answer/);
  });

  it('says the supervisor is gone when it closes without answering', async () => {
    server = await serveControl({
      root: root(),
      session: 's1',
      handler: () => new Promise(() => server?.close()), // dies mid-request
    });
    await expect(callControl({ root: root(), session: 's1' }, { op: 'status' })).rejects.toThrow(
      SupervisorGone,
    );
  });

  it.runIf(posix)(
    'keeps the socket private: folder 0700, socket 0600, removed on close',
    async () => {
      server = await serveControl({ root: root(), session: 's1', handler: async () => null });
      const path = projectSocketPath(root(), 's1');
      expect(server.address).toBe(path);
      expect(statSync(join(root(), '.devlaunch', 'control')).mode & 0o777).toBe(0o700);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      await server.close();
      server = null;
      expect(existsSync(path)).toBe(false);
    },
  );

  it.runIf(posix)(
    'listens under the runtime folder, named by a pointer file, when the project is too deep',
    async () => {
      const deep = join(root(), 'a'.repeat(60), 'b'.repeat(60));
      mkdirSync(deep, { recursive: true });
      server = await serveControl({ root: deep, session: 's1', handler: async () => 'pong' });
      expect(Buffer.byteLength(server.address)).toBeLessThanOrEqual(MAX_SOCKET_PATH_BYTES);
      expect(readFileSync(pointerFile(deep, 's1'), 'utf8').trim()).toBe(server.address);
      expect(await callControl({ root: deep, session: 's1' }, { op: 'ping' })).toBe('pong');
      await server.close();
      server = null;
      expect(existsSync(pointerFile(deep, 's1'))).toBe(false);
    },
  );
});

describe('socket path choice', () => {
  it('stays in the project while the path fits sun_path', () => {
    expect(chooseSocketPath('/home/me/shop', 'abc', '/run/user/1000/devlaunch')).toEqual({
      path: '/home/me/shop/.devlaunch/control/abc.sock',
      pointer: false,
    });
  });

  it('moves to the runtime folder beyond it', () => {
    const choice = chooseSocketPath(
      `/home/me/${'x'.repeat(100)}`,
      'abc',
      '/run/user/1000/devlaunch',
    );
    expect(choice.pointer).toBe(true);
    expect(choice.path).toMatch(/^\/run\/user\/1000\/devlaunch\/[0-9a-f]{16}-abc\.sock$/);
  });
});

describe('request parsing', () => {
  it('accepts the known operations', () => {
    expect(parseRequest('{"v":1,"op":"stop","services":[]}')).toEqual({ op: 'stop', services: [] });
    expect(parseRequest('{"v":1,"op":"status"}')).toEqual({ op: 'status' });
  });

  it('keeps the port options of a start only when well formed', () => {
    const ports = { conflict: 'remap', force: false, port: ['web=8001'] };
    const line = (p: unknown) => JSON.stringify({ v: 1, op: 'start', services: ['web'], ports: p });
    expect(parseRequest(line(ports))).toEqual({ op: 'start', services: ['web'], ports });
    expect(parseRequest(line({ ...ports, conflict: 'rm -rf' }))).toEqual({
      op: 'start',
      services: ['web'],
    });
    expect(parseRequest(line({ ...ports, port: [1] }))).toEqual({ op: 'start', services: ['web'] });
  });

  it('says what is wrong with anything else', () => {
    expect(parseRequest('nope')).toBe('not JSON');
    expect(parseRequest('{"v":2,"op":"ping"}')).toMatch(/protocol version 2/);
    expect(parseRequest('{"v":1,"op":"rm"}')).toBe('unknown op "rm"');
    expect(parseRequest('{"v":1,"op":"restart","services":[1]}')).toMatch(/list of names/);
  });
});
