import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listenersFromProc,
  listeningSockets,
  portsOfPids,
  socketOwners,
} from '../../../src/ports/holders/linux-proc.js';
import { recorded } from './fixture.js';

/**
 * A fake /proc built from the recorded socket tables: pid 5257 holds most sockets, its forked
 * child 5286 shares inode 6839, and nobody's 5297 has an fd directory we "cannot read".
 */
describe('listenersFromProc on a recorded /proc', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'devlaunch-proc-'));
    mkdirSync(join(root, 'net'));
    writeFileSync(join(root, 'net/tcp'), recorded('linux/proc-net-tcp.txt'));
    writeFileSync(join(root, 'net/tcp6'), recorded('linux/proc-net-tcp6.txt'));
    const proc = (pid: number, comm: string, inodes: number[]) => {
      mkdirSync(join(root, `${pid}/fd`), { recursive: true });
      writeFileSync(join(root, `${pid}/comm`), `${comm}\n`);
      symlinkSync('/dev/null', join(root, `${pid}/fd/0`));
      symlinkSync('pipe:[99]', join(root, `${pid}/fd/1`));
      inodes.forEach((inode, i) => {
        symlinkSync(`socket:[${inode}]`, join(root, `${pid}/fd/${10 + i}`));
      });
    };
    proc(5257, 'node', [6834, 6835, 6836, 6837, 6838, 6839, 6861]);
    proc(5286, 'node', [6839]);
    mkdirSync(join(root, 'self'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('maps listening sockets on the wanted ports to their pids and names', async () => {
    const { listeners, tablesRead } = await listenersFromProc([46525, 32929, 39727, 37701], root);
    expect(tablesRead).toBe(true);
    expect(listeners).toEqual([
      { port: 46525, address: '127.0.0.1', pid: 5257, processName: 'node' },
      { port: 37701, address: '::ffff:127.0.0.1', pid: 5257, processName: 'node' },
      { port: 32929, address: '::', pid: 5257, processName: 'node' },
      { port: 39727, address: '::1', pid: 5257, processName: 'node' },
    ]);
  });

  it('lists every process sharing a socket, and pid null for an unreadable owner', async () => {
    const { listeners } = await listenersFromProc([38661, 42713], root);
    expect(listeners).toEqual([
      { port: 38661, address: '127.0.0.1', pid: 5257, processName: 'node' },
      { port: 38661, address: '127.0.0.1', pid: 5286, processName: 'node' },
      { port: 42713, address: '127.0.0.1', pid: null },
    ]);
  });

  it('ignores established connections on the same port and ports nobody listens on', async () => {
    const { listeners } = await listenersFromProc([46132, 1], root);
    expect(listeners).toEqual([]);
  });

  it('says when the socket tables cannot be read', async () => {
    expect(await listenersFromProc([80], join(root, 'missing'))).toEqual({
      listeners: [],
      tablesRead: false,
    });
  });

  it('portsOfPids: the listening ports of the given processes, from their own fds only', async () => {
    expect(await portsOfPids([5286], root)).toEqual([38661]);
    expect(await portsOfPids([5297, 424242], root)).toEqual([]);
    expect(await portsOfPids([1], join(root, 'missing'))).toBeNull();
  });

  it('portsOfPids answers from a reading of the socket tables made once and shared', async () => {
    const sockets = listeningSockets(root);
    const shared = await sockets;
    expect(shared?.get(6839)).toBe(38661);
    expect([...(shared?.values() ?? [])]).not.toContain(46132); // established, not listening
    // A reading that knows no sockets: the same fds then hold no listening port.
    expect(await portsOfPids([5286], root, Promise.resolve(new Map()))).toEqual([]);
    expect(await portsOfPids([5286], root, sockets)).toEqual([38661]);
    expect(await listeningSockets(join(root, 'missing'))).toBeNull();
  });

  it('socketOwners finds only the wanted inodes', async () => {
    const owners = await socketOwners(new Set([6839, 12345]), root);
    expect([...owners.entries()]).toEqual([
      [
        6839,
        [
          { pid: 5257, name: 'node' },
          { pid: 5286, name: 'node' },
        ],
      ],
    ]);
  });
});
