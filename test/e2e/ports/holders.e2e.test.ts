import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listenersOn } from '../../../src/ports/holders/index.js';
import { unreservedPort } from '../../helpers/ports.js';
import { cleanupTracked, startProgram } from '../../helpers/processes.js';
import { bundlePorts, startListener } from './helpers.js';

afterEach(cleanupTracked);

describe.runIf(process.platform === 'linux')('listenersOn (real sockets, Linux /proc)', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::', '::'],
    ['0.0.0.0', '0.0.0.0'],
    ['::1', '::1'],
  ])('finds the pid of a child listening on %s', async (host, address) => {
    const { pid, port } = await startListener(host);
    const listeners = await listenersOn([port]);
    expect(listeners).toEqual([{ port, address, pid, processName: 'node' }]);
  });

  it('answers for several ports in one call, and nothing for a closed port', async () => {
    const a = await startListener('127.0.0.1');
    const b = await startListener('::');
    const closed = await unreservedPort();
    const listeners = await listenersOn([a.port, closed, b.port]);
    expect(listeners.map((l) => [l.port, l.pid]).sort()).toEqual(
      [
        [a.port, a.pid],
        [b.port, b.pid],
      ].sort(),
    );
    expect(await listenersOn([closed])).toEqual([]);
    expect(await listenersOn([])).toEqual([]);
  });

  describe('seen by an unprivileged user', () => {
    let bundle: Awaited<ReturnType<typeof bundlePorts>>;
    beforeAll(async () => {
      bundle = await bundlePorts();
    });
    afterAll(() => bundle.cleanup());

    it.runIf(process.getuid?.() === 0)(
      "reports another user's listener with pid null instead of failing",
      async () => {
        const { port } = await startListener('127.0.0.1');
        const code = `import(${JSON.stringify(bundle.holders)}).then(async (m) => console.log('RESULT ' + JSON.stringify(await m.listenersOn([${port}]))))`;
        const { match } = await startProgram(
          'setpriv',
          ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', code],
          /RESULT (.*)$/,
        );
        expect(JSON.parse(match[1] ?? '')).toEqual([{ port, address: '127.0.0.1', pid: null }]);
      },
    );
  });
});
