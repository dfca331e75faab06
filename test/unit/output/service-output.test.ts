import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ServiceOutput } from '../../../src/output/service-output.js';
import { Collector, cleanedTempDirs } from './helpers.js';

const ESC = '\u001b';
const logDir = cleanedTempDirs();

/** A deterministic pseudo-random source, so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('ServiceOutput', () => {
  it('prefixes each line with the padded service name', async () => {
    const out = new Collector();
    const output = new ServiceOutput({
      out,
      color: false,
      names: ['api', 'frontend'],
      logDir: null,
    });
    const api = new PassThrough();
    const web = new PassThrough();
    output.attach('api', api, 'stdout');
    output.attach('frontend', web, 'stderr');
    api.write('hello\n');
    web.write('bonjour\n');
    api.end('last without newline');
    web.end();
    await output.close();
    expect(out.lines()).toEqual([
      'api      | hello',
      'frontend | bonjour',
      'api      | last without newline',
    ]);
  });

  it('colours the prefix with a stable colour per name, and passes service colours through', async () => {
    const out = new Collector();
    const output = new ServiceOutput({ out, color: true, names: ['a', 'b'], logDir: null });
    const a = new PassThrough();
    const b = new PassThrough();
    output.attach('a', a, 'stdout');
    output.attach('b', b, 'stdout');
    a.end('x\n');
    b.end(`${ESC}[31mred${ESC}[39m\n`);
    await output.close();
    expect(out.lines()).toEqual([
      `${ESC}[36ma |${ESC}[39m x`,
      `${ESC}[35mb |${ESC}[39m ${ESC}[31mred${ESC}[39m`,
    ]);
  });

  it('prints no escape code when colour is off', async () => {
    const out = new Collector();
    const output = new ServiceOutput({ out, color: false, names: ['a'], logDir: null });
    const a = new PassThrough();
    output.attach('a', a, 'stdout');
    output.system('started');
    a.end('x\n');
    await output.close();
    expect(out.text()).not.toContain(ESC);
  });

  it('keeps every line of two heavy services whole, once, in order, with the right prefix', async () => {
    const out = new Collector();
    const dir = logDir();
    const output = new ServiceOutput({ out, color: true, names: ['alpha', 'beta'], logDir: dir });
    const count = 100_000;
    const rand = random(42);
    const sources = ['alpha', 'beta'].map((name) => {
      const stream = new PassThrough();
      output.attach(name, stream, 'stdout');
      let text = '';
      for (let i = 0; i < count; i++) text += `${name} line ${i} ${'é'.repeat(i % 7)}\n`;
      return { name, stream, bytes: Buffer.from(text), offset: 0 };
    });
    while (sources.some((s) => s.offset < s.bytes.length)) {
      const source = sources[rand() < 0.5 ? 0 : 1]!;
      const size = 1 + Math.floor(rand() * 3000);
      source.stream.write(source.bytes.subarray(source.offset, source.offset + size));
      source.offset += size;
    }
    for (const s of sources) s.stream.end();
    await output.close();

    // Plain checks per line (an expect() per line would dominate the run time).
    const seen: Record<string, number> = { alpha: 0, beta: 0 };
    const wrong: string[] = [];
    const pattern = /^\u001b\[(36|35)m(alpha|beta ) \|\u001b\[39m (alpha|beta) line (\d+) (é*)$/;
    for (const line of out.lines()) {
      const [, colour, prefix, name = '', n, accents = ''] = pattern.exec(line) ?? [];
      const ok =
        prefix?.trim() === name &&
        colour === (name === 'alpha' ? '36' : '35') &&
        Number(n) === seen[name] &&
        accents.length === Number(n) % 7;
      if (ok) seen[name] = (seen[name] ?? 0) + 1;
      else wrong.push(line);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(seen).toEqual({ alpha: count, beta: count });
    for (const s of sources) {
      expect(readFileSync(join(dir, `${s.name}.log`)).equals(s.bytes), `${s.name}.log`).toBe(true);
    }
  });

  it('writes the raw lines to the log files, and a final newline for a last partial line', async () => {
    const dir = logDir();
    const output = new ServiceOutput({
      out: new Collector(),
      color: true,
      names: ['api'],
      logDir: dir,
    });
    const api = new PassThrough();
    const err = new PassThrough();
    output.attach('api', api, 'stdout');
    output.attach('api', err, 'stderr');
    api.write('one\n');
    err.write('oops\n');
    api.end('two');
    err.end();
    await output.close();
    expect(readFileSync(join(dir, 'api.log'), 'utf8')).toBe('one\noops\ntwo\n');
  });

  it('truncates a previous log and separates restarts', async () => {
    const dir = logDir();
    for (const word of ['first session', 'second session']) {
      const output = new ServiceOutput({
        out: new Collector(),
        color: false,
        names: ['api'],
        logDir: dir,
      });
      const api = new PassThrough();
      output.attach('api', api, 'stdout');
      api.end(`${word}\n`);
      await output.close();
    }
    expect(readFileSync(join(dir, 'api.log'), 'utf8')).toBe('second session\n');

    const output = new ServiceOutput({
      out: new Collector(),
      color: false,
      names: ['api'],
      logDir: dir,
    });
    const run1 = new PassThrough();
    output.attach('api', run1, 'stdout');
    run1.end('run 1\n');
    await new Promise((resolve) => run1.on('end', resolve));
    output.markRestart('api', 'restart 1');
    const run2 = new PassThrough();
    output.attach('api', run2, 'stdout');
    run2.end('run 2\n');
    await output.close();
    expect(readFileSync(join(dir, 'api.log'), 'utf8')).toBe('run 1\n--- restart 1 ---\nrun 2\n');
  });

  it('prints nothing in quiet mode but logs everything', async () => {
    const out = new Collector();
    const dir = logDir();
    const output = new ServiceOutput({
      out,
      color: false,
      names: ['api'],
      logDir: dir,
      quiet: true,
    });
    const api = new PassThrough();
    output.attach('api', api, 'stdout');
    api.end('a\nb\n');
    await output.close();
    expect(out.text()).toBe('');
    expect(readFileSync(join(dir, 'api.log'), 'utf8')).toBe('a\nb\n');
  });

  it('keeps the last lines of a service across both streams', async () => {
    const output = new ServiceOutput({
      out: new Collector(),
      color: false,
      names: ['api'],
      logDir: null,
      tailSize: 3,
    });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    output.attach('api', stdout, 'stdout');
    output.attach('api', stderr, 'stderr');
    expect(output.lastLines('api')).toEqual([]);
    stdout.write('1\n2\n');
    stderr.write('boom\n');
    expect(output.lastLines('api')).toEqual(['1', '2', 'boom']);
    stdout.write('3\n4\n5\n6\n');
    expect(output.lastLines('api')).toEqual(['4', '5', '6']);
    stderr.end('partial');
    stdout.end();
    await output.close();
    expect(output.lastLines('api')).toEqual(['5', '6', 'partial']);
    expect(output.lastLines('unknown')).toEqual([]);
  });

  it('writes system lines between service lines, in order, set apart', async () => {
    const out = new Collector();
    const output = new ServiceOutput({ out, color: false, names: ['api'], logDir: null });
    const api = new PassThrough();
    output.attach('api', api, 'stdout');
    api.write('before\n');
    output.system('devlaunch says hi\nsecond line');
    api.write('after\n');
    output.print('TABLE');
    api.end();
    await output.close();
    expect(out.lines()).toEqual([
      'api | before',
      'devlaunch » devlaunch says hi',
      'devlaunch » second line',
      'api | after',
      'TABLE',
    ]);
  });

  it('tells line listeners about lines and partial lines, until unsubscribed', async () => {
    const output = new ServiceOutput({
      out: new Collector(),
      color: false,
      names: ['api'],
      logDir: null,
    });
    const api = new PassThrough();
    output.attach('api', api, 'stdout');
    const heard: [string, boolean][] = [];
    const stop = output.onLine('api', (text, partial) => heard.push([text, partial]));
    api.write('a\nListening');
    api.write(' on 8080');
    api.write('\n');
    stop();
    api.end('ignored\n');
    await output.close();
    expect(heard).toEqual([
      ['a', false],
      ['Listening', true],
      ['Listening on 8080', true],
      ['Listening on 8080', false],
    ]);
  });

  it('gives line listeners (ready: log) the text without colours', async () => {
    const output = new ServiceOutput({
      out: new Collector(),
      color: true,
      names: ['web'],
      logDir: null,
    });
    const heard: string[] = [];
    output.onLine('web', (text) => heard.push(text));
    const web = new PassThrough();
    output.attach('web', web, 'stdout');
    web.write(`${ESC}[32mready${ESC}[39m on 3000\n`);
    web.end(`${ESC}[1mListening${ESC}[22m`);
    await output.close();
    expect(heard).toEqual(['ready on 3000', 'Listening', 'Listening']);
  });

  it('keeps draining a service while the destination is slow', async () => {
    const out = new Collector(5);
    const output = new ServiceOutput({ out, color: false, names: ['chatty'], logDir: null });
    const source = new PassThrough({ highWaterMark: 1024 });
    output.attach('chatty', source, 'stdout');
    let refused = 0;
    const count = 20_000;
    for (let i = 0; i < count; i++) if (!source.write(`line ${i}\n`)) refused += 1;
    // Everything written was consumed at once: nothing waits in the source.
    expect(refused).toBe(0);
    expect(source.readableLength).toBe(0);
    expect(output.stats().maxBuffered).toBeGreaterThan(1024);
    source.end();
    await output.close();
    expect(out.lines()).toHaveLength(count);
    expect(out.writableLength).toBe(0);
  });

  it('survives a destination that fails (a reader that went away)', async () => {
    const out = new Collector();
    const output = new ServiceOutput({ out, color: false, names: ['api'], logDir: null });
    const api = new PassThrough();
    output.attach('api', api, 'stdout');
    out.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await new Promise((resolve) => setImmediate(resolve));
    api.end('still drained\n');
    await output.close();
    expect(output.lastLines('api')).toEqual(['still drained']);
  });

  it('passes a line of several MB through whole, once, with linear work, also to line listeners', async () => {
    const out = new Collector();
    const dir = logDir();
    const output = new ServiceOutput({ out, color: false, names: ['big'], logDir: dir });
    const heard: [number, boolean][] = [];
    output.onLine('big', (text, partial) => heard.push([text.length, partial]));
    const source = new PassThrough();
    output.attach('big', source, 'stdout');
    const size = 5 << 20;
    const piece = 'x'.repeat(65536);
    source.write('before\n');
    for (let sent = 0; sent < size; sent += piece.length) source.write(piece);
    source.write(`${ESC}[0m\r\nafter\n`);
    source.end(`${ESC}[?25h`);
    await output.close();
    const expected = `big | before\nbig | ${'x'.repeat(size)}${ESC}[0m\nbig | after\n${ESC}[?25h`;
    expect(out.text() === expected).toBe(true);
    const logged = readFileSync(join(dir, 'big.log'), 'utf8');
    expect(logged === `before\n${'x'.repeat(size)}\r\nafter\n`).toBe(true);
    // The long line was reported once, by its first and last 64 KiB; partial updates stopped
    // at 4 KiB.
    expect(heard.filter(([, partial]) => !partial)).toEqual([
      [6, false],
      [65536, false],
      [65536 - 6, false], // without ESC[0m and CR LF
      [5, false],
      [0, false],
    ]);
    expect(heard.every(([length, partial]) => !partial || length <= 4096)).toBe(true);
  });

  it('copies what it keeps of a chunk: the reader reuses one buffer for every read', async () => {
    // Services are read into one reused buffer: a chunk is overwritten as soon as it has been
    // handled. Terminal, log and last lines must still hold what was read, in order.
    const out = new Collector(5);
    const dir = logDir();
    const output = new ServiceOutput({ out, color: false, names: ['a'], logDir: dir });
    const source = new Readable({ read() {} });
    output.attach('a', source, 'stdout');
    const reused = Buffer.alloc(64 << 10);
    const expected: string[] = [];
    let pending = '';
    for (let i = 0; i < 300; i++) {
      // Lines cut anywhere: a line split across reads, and a long one over several.
      const text = i % 50 === 7 ? 'y'.repeat(20_000) : `line ${i} ${'z'.repeat(i % 37)}\n`;
      pending += text;
      const size = reused.write(text);
      source.emit('data', reused.subarray(0, size));
      reused.fill(0x21);
    }
    // The last line, unterminated.
    pending += 'last words';
    source.emit('data', reused.subarray(0, reused.write('last words')));
    reused.fill(0x21);
    expected.push(...pending.split('\n'));
    source.emit('end');
    await output.close();
    expect(out.lines()).toEqual(expected.map((line) => `a | ${line}`));
    expect(readFileSync(join(dir, 'a.log'), 'utf8')).toBe(`${expected.join('\n')}\n`);
    expect(output.lastLines('a')).toEqual(expected.slice(-20));
  });

  it('closes at once when nothing was attached', async () => {
    const output = new ServiceOutput({
      out: new Collector(),
      color: false,
      names: [],
      logDir: null,
    });
    await output.close();
  });
});
