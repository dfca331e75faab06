import { describe, expect, it } from 'vitest';
import { isEscapedDaemon } from '../../../src/app/daemons.js';
import type { ProcessInfo } from '../../../src/process/types.js';

const proc = (over: Partial<ProcessInfo>): ProcessInfo => ({
  pid: 500,
  ppid: 1,
  pgid: 500,
  uid: 1000,
  user: 'me',
  command: 'redis-server *:6379',
  startTime: '2000',
  startedAt: '',
  ...over,
});
const self = { pid: 42, uid: 1000 };
const systemdUser = proc({ pid: 300, ppid: 1, command: '/lib/systemd/systemd --user' });

describe('isEscapedDaemon', () => {
  it.each([
    ['orphaned to init, same user, started after the service', proc({}), undefined, true],
    ['adopted by a systemd --user subreaper', proc({ ppid: 300 }), systemdUser, true],
    [
      'started before the service (it was there first)',
      proc({ startTime: '999' }),
      undefined,
      false,
    ],
    ['another user', proc({ uid: 0 }), undefined, false],
    [
      'still has a living parent that is no reaper',
      proc({ ppid: 77 }),
      proc({ pid: 77, ppid: 60, command: 'bash' }),
      false,
    ],
    ['devlaunch itself', proc({ pid: 42 }), undefined, false],
    ['init', proc({ pid: 1, ppid: 0 }), undefined, false],
  ])('%s', (_what, holder, parent, expected) => {
    expect(isEscapedDaemon(holder, parent, '1000', self)).toBe(expected);
  });
});
