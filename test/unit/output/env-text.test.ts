/** `devlaunch env` as text: `--shell` lines any POSIX shell evaluates back, dotenv or a refusal. */
import { describe, expect, it } from 'vitest';
import { isDevlaunchError } from '../../../src/errors.js';
import { dotenvLines, shellLines, shellQuote } from '../../../src/output/env-text.js';

describe('env as text', () => {
  it('shell quotes only what needs it, and quotes a single quote safely', () => {
    expect(shellQuote('http://127.0.0.1:8000')).toBe('http://127.0.0.1:8000');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
    expect(shellLines({ PORT: '8000', GREETING: 'hi there' })).toEqual([
      'export PORT=8000',
      "export GREETING='hi there'",
    ]);
  });

  it('dotenv lines, or NOT_REPRESENTABLE naming each value no quoting carries', () => {
    expect(dotenvLines({ PORT: '8000', NOTE: 'a b' })).toEqual(['PORT=8000', "NOTE='a b'"]);
    const error = (() => {
      try {
        dotenvLines({ OK: '1', BAD: 'x\r\ny' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(isDevlaunchError(error) && error.code).toBe('NOT_REPRESENTABLE');
    expect(isDevlaunchError(error) && error.message).toContain(
      'BAD: it contains a carriage return',
    );
    expect(isDevlaunchError(error) && error.message).not.toContain('OK:');
  });
});
