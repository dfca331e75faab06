import { describe, expect, it } from 'vitest';
import {
  decidePort,
  effectivePolicy,
  type HolderFact,
  type PolicyInput,
  type PortFact,
} from '../../../src/plan/port-policy.js';

const base: PolicyInput = {
  preferred: 8000,
  dynamic: false,
  override: null,
  onConflict: null,
  interactive: false,
};
const foreign: HolderFact = { pid: 42, owner: 'foreign', refusal: null };
const stale: HolderFact = { pid: 43, owner: 'stale-ours', refusal: null, session: 'old' };
const live: HolderFact = { pid: 44, owner: 'ours', refusal: null, session: 'abc' };
const refused: HolderFact = {
  pid: 45,
  owner: 'foreign',
  refusal: { forceable: true, reason: 'another user' },
};
const held = (...holders: HolderFact[]): PortFact => ({ kind: 'held', holders });

describe('effectivePolicy', () => {
  it('takes the flag over on_conflict', () => {
    expect(effectivePolicy({ ...base, override: 'kill', onConflict: 'fail' })).toBe('kill');
  });
  it('takes on_conflict when no flag is given', () => {
    expect(effectivePolicy({ ...base, onConflict: 'remap', interactive: true })).toBe('remap');
  });
  it('defaults to ask on a terminal and fail otherwise', () => {
    expect(effectivePolicy({ ...base, interactive: true })).toBe('ask');
    expect(effectivePolicy(base)).toBe('fail');
    // An explicit ask with nobody to ask: reported like fail, never a prompt nobody answers.
    expect(effectivePolicy({ ...base, onConflict: 'ask' })).toBe('fail');
    expect(effectivePolicy({ ...base, onConflict: 'ask', interactive: true })).toBe('ask');
  });
});

describe('decidePort', () => {
  it('takes a port from the OS with --dynamic, whatever holds the preferred one', () => {
    for (const fact of [{ kind: 'free' } as const, held(foreign), held(stale), held(live)]) {
      expect(decidePort({ ...base, dynamic: true, override: 'kill' }, fact)).toEqual({
        kind: 'os',
      });
    }
  });
  it('takes a port from the OS for auto', () => {
    expect(decidePort({ ...base, preferred: 'auto' }, { kind: 'free' })).toEqual({ kind: 'os' });
  });
  it('keeps a free preferred port', () => {
    expect(decidePort(base, { kind: 'free' })).toEqual({ kind: 'keep', port: 8000 });
  });
  it('fails on a forbidden port, or remaps it under remap', () => {
    const fact: PortFact = { kind: 'forbidden', code: 'EACCES' };
    expect(decidePort(base, fact)).toEqual({ kind: 'fail', port: 8000, reason: 'forbidden' });
    expect(decidePort({ ...base, override: 'remap' }, fact)).toMatchObject({
      kind: 'remap',
      from: 8000,
    });
  });
  it('reclaims a port held only by stale processes of ours, whatever the policy, without asking', () => {
    for (const override of [null, 'kill', 'remap', 'fail'] as const) {
      const input = { ...base, override, interactive: true, onConflict: 'ask' as const };
      expect(decidePort(input, held(stale, { ...stale, pid: 99 }))).toEqual({
        kind: 'reclaim',
        port: 8000,
      });
    }
  });
  it('never stops a live session of ours: remap under remap, else fail naming it', () => {
    expect(decidePort({ ...base, override: 'kill' }, held(live))).toEqual({
      kind: 'fail',
      port: 8000,
      reason: 'ours',
    });
    expect(decidePort({ ...base, onConflict: 'ask', interactive: true }, held(live))).toMatchObject(
      { reason: 'ours' },
    );
    const remap = decidePort({ ...base, override: 'remap' }, held(live, foreign));
    expect(remap).toMatchObject({ kind: 'remap', from: 8000 });
    expect(remap.kind === 'remap' && remap.reason).toContain('abc');
  });
  it('fails on a foreign holder under fail, naming nothing to stop', () => {
    expect(decidePort({ ...base, onConflict: 'fail' }, held(foreign))).toEqual({
      kind: 'fail',
      port: 8000,
      reason: 'foreign',
    });
  });
  it('fails without a terminal when on_conflict is unset', () => {
    expect(decidePort(base, held(foreign))).toMatchObject({ reason: 'foreign' });
  });
  it('stops a foreign holder under kill (stale ones beside it too)', () => {
    expect(decidePort({ ...base, onConflict: 'kill' }, held(foreign, stale))).toEqual({
      kind: 'stop',
      port: 8000,
    });
  });
  it('refuses to stop when one holder may not be stopped', () => {
    expect(decidePort({ ...base, override: 'kill' }, held(foreign, refused))).toEqual({
      kind: 'fail',
      port: 8000,
      reason: 'refused',
    });
  });
  it('cannot stop a holder the OS does not reveal', () => {
    const unknown: HolderFact = { pid: null, owner: 'foreign', refusal: null };
    expect(decidePort({ ...base, override: 'kill' }, held(unknown))).toMatchObject({
      reason: 'unknown',
    });
    expect(decidePort({ ...base, override: 'kill' }, held())).toMatchObject({ reason: 'unknown' });
    expect(decidePort({ ...base, override: 'remap' }, held(unknown))).toMatchObject({
      kind: 'remap',
    });
  });
  it('remaps a foreign holder under remap, saying who held it', () => {
    const d = decidePort({ ...base, onConflict: 'remap' }, held(foreign));
    expect(d).toEqual({ kind: 'remap', from: 8000, reason: 'port 8000 is held by pid 42' });
  });
  it('the flag beats on_conflict', () => {
    expect(
      decidePort({ ...base, onConflict: 'kill', override: 'fail' }, held(foreign)),
    ).toMatchObject({ kind: 'fail' });
    expect(
      decidePort({ ...base, onConflict: 'fail', override: 'remap' }, held(foreign)),
    ).toMatchObject({ kind: 'remap' });
  });
  it('asks under ask on a terminal, then follows the answer', () => {
    const input: PolicyInput = { ...base, onConflict: 'ask', interactive: true };
    expect(decidePort(input, held(foreign))).toEqual({ kind: 'ask', port: 8000 });
    expect(decidePort({ ...input, answer: 'stop' }, held(foreign))).toEqual({
      kind: 'stop',
      port: 8000,
    });
    expect(decidePort({ ...input, answer: 'remap' }, held(foreign))).toMatchObject({
      kind: 'remap',
    });
    expect(decidePort({ ...input, answer: 'abort' }, held(foreign))).toEqual({
      kind: 'fail',
      port: 8000,
      reason: 'aborted',
    });
    expect(decidePort({ ...input, answer: 'stop' }, held(refused))).toMatchObject({
      reason: 'refused',
    });
    // No terminal: nobody is asked, the conflict fails like any other.
    expect(decidePort({ ...input, interactive: false }, held(foreign))).toEqual({
      kind: 'fail',
      port: 8000,
      reason: 'foreign',
    });
  });
  it('asks on a terminal when on_conflict is unset', () => {
    expect(decidePort({ ...base, interactive: true }, held(foreign))).toEqual({
      kind: 'ask',
      port: 8000,
    });
  });
  it('ignores an answer when the policy is not ask', () => {
    expect(
      decidePort({ ...base, onConflict: 'fail', answer: 'stop' }, held(foreign)),
    ).toMatchObject({ kind: 'fail' });
  });
});
