import { afterEach, describe, expect, it } from 'vitest';
import { portLooks } from '../../../src/app/port-looks.js';
import { cleanupTracked } from '../../helpers/processes.js';
import { node, startService } from './util.js';

afterEach(cleanupTracked);

/** A three-deep tree whose grandchild listens on a port of the OS's choosing. */
async function treeWithListener() {
  const s = await startService([node, 'spawn-grandchild.mjs'], { PORT: '0' });
  const [, port] = await s.waitForLine(/^LISTENING (\d+)/);
  await s.waitForLine(/^TREE READY$/);
  return { pid: s.pid, port: Number(port) };
}

describe.runIf(process.platform === 'linux')('portLooks (the wrong-port look)', () => {
  it('finds the port a grandchild listens on, for each tree its own', async () => {
    const [a, b] = await Promise.all([treeWithListener(), treeWithListener()]);
    const look = portLooks();
    expect(await look(a.pid)).toEqual([a.port]);
    expect(await look(b.pid)).toEqual([b.port]);
  });

  it('looks made within the sharing window share one reading of the process and socket tables', async () => {
    const a = await treeWithListener();
    const look = portLooks(60_000);
    expect(await look(a.pid)).toEqual([a.port]);
    // Started after that reading: neither its grandchild nor its socket is in the shared readings.
    const b = await treeWithListener();
    expect(await look(b.pid)).toEqual([]);
    // A looker whose reading is fresh finds it.
    expect(await portLooks()(b.pid)).toEqual([b.port]);
  });
});
