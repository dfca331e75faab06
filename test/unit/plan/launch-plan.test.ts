/** The launch plan, computed from facts alone: every port decision, env and order, no I/O. */
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/manifest/types.js';
import { type HolderDetail, type LaunchFacts, noFacts } from '../../../src/plan/facts.js';
import { type PlanInput, planLaunch } from '../../../src/plan/launch-plan.js';
import { manifest } from '../../helpers/manifest.js';

const shop = manifest({
  db: { port: 5432 },
  api: { port: 8000, ports: { debug: 9229 }, depends_on: { db: 'ready' }, env: { MODE: 'dev' } },
  web: { port: 'auto', host: '::1', depends_on: { api: 'ready' } },
});

function input(facts: Partial<LaunchFacts>, over: Partial<PlanInput> = {}, m: Manifest = shop) {
  const ports = { 5432: free, 8000: free, 9229: free, ...facts.ports };
  return {
    manifest: m,
    order: ['db', 'api', 'web'],
    session: 's1',
    dynamic: false,
    overrides: {},
    conflict: null,
    interactive: false,
    processEnv: { PATH: '/bin' },
    dotenv: {},
    platform: 'linux' as const,
    ...over,
    facts: { ...noFacts(), fresh: { web: 40000 }, ...facts, ports },
  };
}

const free = { kind: 'free' } as const;
const holder = (over: Partial<HolderDetail> = {}): HolderDetail => ({
  pid: 42,
  owner: 'foreign',
  refusal: null,
  user: 'me',
  command: 'node old.js',
  ...over,
});
const held = (h: HolderDetail) => ({ kind: 'held' as const, holders: [h] });

describe('planLaunch', () => {
  it('services joining a running session see the ports the running ones really have', () => {
    const plan = planLaunch(
      input(
        {},
        {
          order: ['web'],
          running: {
            db: { primary: 5432, named: {} },
            api: { primary: 8123, named: { debug: 9300 } },
          },
        },
      ),
    );
    expect(plan.order).toEqual(['web']);
    const web = plan.services.find((s) => s.name === 'web')!;
    expect(web.env).toMatchObject({
      API_PORT: '8123',
      API_DEBUG_PORT: '9300',
      DB_PORT: '5432',
      PORT: '40000',
    });
    expect(plan.resolved.api).toEqual({ primary: 8123, named: { debug: 9300 } });
  });

  it('free preferred ports are kept; auto takes the fresh port; env, URL and order follow', () => {
    const plan = planLaunch(input({}));
    expect(plan.order).toEqual(['db', 'api', 'web']);
    expect(plan.ports.map((l) => [l.label, l.status, 'port' in l ? l.port : null])).toEqual([
      ['db', 'ok', 5432],
      ['api', 'ok', 8000],
      ['api.debug', 'ok', 9229],
      ['web', 'ok', 40000],
    ]);
    const api = plan.services.find((s) => s.name === 'api')!;
    expect(api.ownEnv).toMatchObject({
      PORT: '8000',
      MODE: 'dev',
      DB_PORT: '5432',
      WEB_PORT: '40000',
    });
    expect(api.ownEnv.PATH).toBeUndefined();
    expect(api.env.PATH).toBe('/bin');
    expect(plan.services.find((s) => s.name === 'web')?.url).toBe('http://[::1]:40000');
  });

  it('a port held only by our dead session is reclaimed, listing what is stopped', () => {
    const stale = holder({ owner: 'stale-ours', session: 'old' });
    const plan = planLaunch(input({ ports: { 8000: held(stale) } }));
    expect(plan.ports[1]).toMatchObject({ status: 'ok', reason: 'reclaimed', stop: [stale] });
  });

  it('a foreign holder: fail off a terminal, ask on one, stop with --kill', () => {
    const ports = { 8000: held(holder()) };
    expect(planLaunch(input({ ports })).ports[1]).toMatchObject({
      status: 'fail',
      failure: 'foreign',
    });
    expect(planLaunch(input({ ports }, { interactive: true })).ports[1]).toMatchObject({
      status: 'ask',
    });
    expect(planLaunch(input({ ports }, { conflict: 'kill' })).ports[1]).toMatchObject({
      status: 'ok',
      reason: 'freed',
      stop: [holder()],
    });
    const answered = planLaunch(input({ ports, answers: { api: 'abort' } }, { interactive: true }));
    expect(answered.ports[1]).toMatchObject({ status: 'fail', failure: 'aborted' });
    expect(answered.services).toEqual([]);
  });

  it('a holder that may not be stopped is refused even with --kill', () => {
    const root = holder({ refusal: { forceable: true, reason: 'another user' } });
    const plan = planLaunch(input({ ports: { 8000: held(root) } }, { conflict: 'kill' }));
    expect(plan.ports[1]).toMatchObject({ status: 'fail', failure: 'refused' });
  });

  it('remap: candidates above the port, skipping the session’s ports, then the fresh port found', () => {
    const ports = { 8000: held(holder()) };
    const before = planLaunch(input({ ports }, { conflict: 'remap' }));
    const line = before.ports[1]!;
    expect(line).toMatchObject({ status: 'needs-port', reason: 'remapped', from: 8000 });
    expect(line.status === 'needs-port' && line.candidates.slice(0, 2)).toEqual([8001, 8002]);
    const after = planLaunch(
      input({ ports, fresh: { api: 8001, web: 40000 } }, { conflict: 'remap' }),
    );
    expect(after.ports[1]).toMatchObject({
      status: 'ok',
      port: 8001,
      reason: 'remapped',
      from: 8000,
    });
    expect(after.services.find((s) => s.name === 'db')?.ownEnv.API_PORT).toBe('8001');
  });

  it('the same port twice, and a running session, stop the plan', () => {
    const twice = manifest({ a: { port: 3000 }, b: { port: 3000 } });
    const plan = planLaunch(input({ ports: { 3000: free } }, { order: ['a', 'b'] }, twice));
    expect(plan.ports[1]).toMatchObject({ status: 'twice', port: 3000, with: 'a' });
    const running = { pid: 7, startedAt: 'then' };
    expect(planLaunch(input({ running })).blocked).toMatch(/already running \(pid 7, since then\)/);
    expect(planLaunch(input({ running }, { dynamic: true })).blocked).toBeNull();
  });

  it('--dynamic: every port fresh, nothing probed or stopped', () => {
    const plan = planLaunch(input({ ports: {} }, { dynamic: true, order: ['db'] }));
    expect(plan.ports[0]).toMatchObject({
      status: 'needs-port',
      reason: 'dynamic',
      candidates: [],
    });
  });
});
