/**
 * With no terminal to ask on, every busy port is reported in one run (exit 3), not one per run;
 * nothing is started and no holder is stopped — not even one that `kill` would have stopped.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../helpers/ports.js';
import { cleanupTracked, isAlive, survivors } from '../../helpers/processes.js';
import { cli, ensureCliBuilt, project, removeProjects, server, squatter } from './helpers.js';

beforeAll(ensureCliBuilt, 120_000);
vi.setConfig({ testTimeout: 90_000 });

afterEach(async () => {
  await cleanupTracked();
  removeProjects();
});

describe('every conflict at once', () => {
  it('three busy ports without a terminal: one run names all three, starts and stops nothing', async () => {
    const ports = [await freePort(), await freePort(), await freePort(), await freePort()];
    const [pa, pb, pc, pk] = ports as [number, number, number, number];
    const holders = [
      await squatter(pa),
      await squatter(pb),
      await squatter(pc),
      await squatter(pk),
    ];
    const p = project({
      services: {
        api: server(pa),
        web: server(pb, { depends_on: ['api'] }),
        // Listed before the last refusal: its holder would be stopped in a run that succeeds.
        killer: server(pk, { on_conflict: 'kill' }),
        // An explicit ask, with nobody to ask: reported with the others, no prompt.
        docs: server(pc, { on_conflict: 'ask' }),
      },
    });
    for (const command of [['up'], ['up', '-d'], ['run', '--', 'true']]) {
      const r = await cli(p, command);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain('3 ports are not free');
      for (const [port, label] of [
        [pa, 'api'],
        [pb, 'web'],
        [pc, 'docs'],
      ] as const) {
        expect(r.stderr).toContain(`port ${port} of ${label} is held by pid`);
      }
      expect(r.stderr).not.toContain('internal error');
      expect(`${r.stdout}${r.stderr}`).not.toContain('[s] stop it');
    }
    for (const pid of holders) expect(isAlive(pid)).toBe(true);
    expect(survivors(p.marker)).toEqual([]);
  });
});
