/** `port: ${BACKEND_PORT:-8000}`: ports from the dotenv files and the environment. */
import { afterEach, describe, expect, it } from 'vitest';
import { check, cleanProjects, valid, yaml } from './helpers.js';

afterEach(cleanProjects);

const manifest = yaml(`
  env_file: .env
  services:
    backend:
      command: node server.js
      port: \${BACKEND_PORT:-8000}
      ports: { debug: "\${DEBUG_PORT:-9229}" }
`);

describe('port templates', () => {
  it('takes the port from the env_file', () => {
    const m = valid(manifest, { '.env': 'BACKEND_PORT=8081\n' });
    expect(m.services.backend?.port).toBe(8081);
    expect(m.services.backend?.ports).toEqual({ debug: 9229 });
  });

  it('uses the default when nothing sets it, and the environment over the file', () => {
    expect(valid(manifest, { '.env': '' }).services.backend?.port).toBe(8000);
    const m = valid(manifest, { '.env': 'BACKEND_PORT=8081\n' }, { BACKEND_PORT: '8100' });
    expect(m.services.backend?.port).toBe(8100);
  });

  it("reads the service's own env_file over the global one", () => {
    const text = yaml(`
      env_file: .env
      services:
        backend:
          command: node server.js
          env_file: backend.env
          port: \${BACKEND_PORT}
    `);
    const m = valid(text, { '.env': 'BACKEND_PORT=1\n', 'backend.env': 'BACKEND_PORT=8200\n' });
    expect(m.services.backend?.port).toBe(8200);
  });

  it('a reference with no value is one error at the key, with the fix', () => {
    const text = yaml(`
      services:
        backend:
          command: node server.js
          port: \${BACKEND_PORT}
    `);
    const result = check(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({
      line: 4,
      message: `BACKEND_PORT has no value, so \${BACKEND_PORT} is not a port`,
    });
    expect(result.diagnostics[0]?.hint).toMatch(/\$\{BACKEND_PORT:-8000\}/);
  });

  it('a value that is not a port is one error', () => {
    const result = check(manifest, { '.env': 'BACKEND_PORT=eighty\n' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      `\${BACKEND_PORT:-8000} expands to "eighty", which is not a port`,
    ]);
  });
});
