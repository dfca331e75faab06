/** The one port report of `ports`, `free` and `doctor`: its JSON, its sentences, its table. */
import { describe, expect, it } from 'vitest';
import {
  describePort,
  mainHolder,
  type PortReport,
  portJson,
  renderPortTable,
} from '../../../src/app/port-report.js';
import { painter } from '../../../src/output/colors.js';
import type { ClassifiedHolder } from '../../../src/ports/ownership.js';

const holder = (over: Partial<ClassifiedHolder>): ClassifiedHolder => ({
  pid: 4242,
  ppid: 1,
  pgid: 4242,
  uid: 1000,
  user: 'ann',
  command: 'node server.js',
  startTime: '100',
  startedAt: '2026-11-28T10:00:00.000Z',
  port: 8000,
  owner: 'foreign',
  classification: { owner: 'foreign', session: null, service: null, root: null },
  ...over,
});

const parent = holder({});
const worker = holder({ pid: 4243, ppid: 4242, command: 'node worker.js' });
const rows: PortReport[] = [
  { port: 8000, service: 'web', state: { kind: 'held', holders: [worker, parent], main: parent } },
  { port: 8001, service: 'api', state: { kind: 'free' } },
  { port: 8002, service: null, state: { kind: 'unknown' } },
  { port: 80, service: 'edge', state: { kind: 'forbidden', code: 'EACCES', address: '0.0.0.0' } },
];

describe('port report', () => {
  it('mainHolder picks the process whose parent does not share the port', () => {
    expect(mainHolder([worker, parent])).toBe(parent);
    expect(mainHolder([])).toBeNull();
  });

  it('ports --json: the documented fields for every state', () => {
    expect(rows.map(portJson)).toEqual([
      {
        port: 8000,
        service: 'web',
        free: false,
        holder: {
          pid: 4242,
          user: 'ann',
          command: 'node server.js',
          startedAt: '2026-11-28T10:00:00.000Z',
          owner: 'foreign',
        },
      },
      { port: 8001, service: 'api', free: true, holder: null },
      {
        port: 8002,
        service: null,
        free: false,
        holder: { pid: null, user: null, command: null, startedAt: null, owner: 'foreign' },
      },
      { port: 80, service: 'edge', free: false, holder: null },
    ]);
  });

  it('one sentence per state, the same in ports, free and doctor', () => {
    expect(rows.map((r) => describePort(r.state))).toEqual([
      'held by pid 4242 (user ann): node server.js',
      'free',
      "in use, but the OS does not say by which process (another user's?)",
      'this user may not bind it (EACCES on 0.0.0.0: privileged or reserved), though nothing holds it',
    ]);
  });

  it('the table names the holder, and explains a port this user may not bind', () => {
    const lines = renderPortTable(rows, painter(false)).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PORT\s+SERVICE\s+STATE\s+PID\s+USER\s+OWNER\s+COMMAND$/);
    expect(lines[1]).toMatch(/^8000\s+web\s+held\s+4242\s+ann\s+foreign\s+node server\.js$/);
    expect(lines[2]).toMatch(/^8001\s+api\s+free$/);
    expect(lines[3]).toMatch(/^8002\s+-\s+held\s+\?\s+foreign$/);
    expect(lines[4]).toMatch(/^80\s+edge\s+not bindable\s+\?$/);
    expect(lines[5]).toBe(
      'port 80: this user may not bind it (EACCES on 0.0.0.0: privileged or reserved), though nothing holds it; devlaunch doctor explains why',
    );
  });
});
