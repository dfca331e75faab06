/**
 * One broken manifest per rule: each must be reported at the right key path, line and column,
 * with a message (and hint where one is likely) that says what is wrong.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { formatPath } from '../../../src/manifest/format.js';
import { cleanProjects, problems } from './helpers.js';

interface Case {
  name: string;
  text: string;
  files?: Record<string, string>;
  path: string;
  line: number;
  column: number;
  message: RegExp;
  hint?: RegExp;
  expected?: RegExp;
  found?: string;
}

const svc = (body: string) => `services:\n  web:\n${body.replace(/^/gm, '    ')}\n`;

const cases: Case[] = [
  {
    name: 'YAML syntax error',
    text: 'services:\n  web:\n    command: "node server.js\n',
    path: '',
    line: 3,
    column: 14,
    message: /never closed/,
    hint: /closing quote/,
  },
  {
    name: 'bad indentation',
    text: 'services:\n  web:\n    command: node\n   port: 80\n',
    path: '',
    line: 4,
    column: 4,
    message: /must start at the same column/,
  },
  {
    name: 'duplicate key',
    text: svc('command: node a.js\nport: 8000\nport: 8001'),
    path: 'services.web.port',
    line: 5,
    column: 5,
    message: /already defined/,
    hint: /keep one/,
  },
  {
    name: 'empty manifest',
    text: '# nothing yet\n',
    path: '',
    line: 1,
    column: 1,
    message: /empty/,
    hint: /devlaunch init/,
  },
  {
    name: 'manifest is a list',
    text: '- web\n- api\n',
    path: '',
    line: 1,
    column: 1,
    message: /must be a map/,
    found: 'a list',
  },
  {
    name: 'missing services',
    text: 'name: shop\n',
    path: 'services',
    line: 1,
    column: 1,
    message: /missing required key "services"/,
  },
  {
    name: 'unknown top-level key',
    text: 'name: shop\nservces:\n  web:\n    command: x\n',
    path: 'servces',
    line: 2,
    column: 1,
    message: /unknown key "servces"/,
    hint: /did you mean "services"/,
  },
  {
    name: 'unknown service key',
    text: svc('command: node a.js\nprot: 8000'),
    path: 'services.web.prot',
    line: 4,
    column: 5,
    message: /unknown key "prot"/,
    hint: /did you mean "port"/,
  },
  {
    name: 'unknown ready key',
    text: svc('command: x\nport: 8000\nready:\n  tcp: true\n  timout: 5s'),
    path: 'services.web.ready.timout',
    line: 7,
    column: 7,
    message: /unknown key "timout"/,
    hint: /did you mean "timeout"/,
  },
  {
    name: 'service setting at the top level',
    text: 'command: node a.js\nservices: {}\n',
    path: 'command',
    line: 1,
    column: 1,
    message: /unknown key "command"/,
    hint: /under services\.NAME/,
  },
  {
    name: 'service without settings',
    text: 'services:\n  web:\n',
    path: 'services.web',
    line: 2,
    column: 3,
    message: /service web has no settings/,
    hint: /command/,
  },
  {
    name: 'missing command',
    text: svc('port: 8000'),
    path: 'services.web.command',
    line: 2,
    column: 3,
    message: /missing required key "command"/,
    hint: /add command/,
  },
  {
    name: 'empty command',
    text: svc('command: "  "'),
    path: 'services.web.command',
    line: 3,
    column: 14,
    message: /command is empty/,
  },
  {
    name: 'empty command list',
    text: svc('command: []'),
    path: 'services.web.command',
    line: 3,
    column: 14,
    message: /empty list/,
  },
  {
    name: 'command list with a number',
    text: svc('command: [node, server.js, --port, 8000]'),
    path: 'services.web.command[3]',
    line: 3,
    column: 40,
    message: /must be text/,
    found: '8000',
  },
  {
    name: 'port above 65535',
    text: svc('command: x\nport: 70000'),
    path: 'services.web.port',
    line: 4,
    column: 11,
    message: /port must be between 1 and 65535/,
    found: '70000',
  },
  {
    name: 'negative port',
    text: svc('command: x\nport: -1'),
    path: 'services.web.port',
    line: 4,
    column: 11,
    message: /between 1 and 65535/,
  },
  {
    name: 'port written as text',
    text: svc('command: x\nport: "8000"'),
    path: 'services.web.port',
    line: 4,
    column: 11,
    message: /must be a number, not text/,
    hint: /without quotes/,
  },
  {
    name: 'fractional port',
    text: svc('command: x\nport: 80.5'),
    path: 'services.web.port',
    line: 4,
    column: 11,
    message: /whole number/,
  },
  {
    name: 'named port out of range',
    text: svc('command: x\nports:\n  debug: 99999'),
    path: 'services.web.ports.debug',
    line: 5,
    column: 14,
    message: /between 1 and 65535/,
  },
  {
    name: 'two services prefer one port',
    text: 'services:\n  a:\n    command: x\n    port: 8000\n  b:\n    command: y\n    port: 8000\n',
    path: 'services.b.port',
    line: 7,
    column: 11,
    message: /port 8000 is already preferred by a\.port/,
    hint: /another port/,
  },
  {
    name: 'named port clashes with a primary port',
    text: 'services:\n  a:\n    command: x\n    port: 9229\n  b:\n    command: y\n    ports: { debug: 9229 }\n',
    path: 'services.b.ports.debug',
    line: 7,
    column: 21,
    message: /already preferred by a\.port/,
  },
  {
    name: 'depends_on an unknown service',
    text: 'services:\n  backend:\n    command: x\n  web:\n    command: y\n    depends_on: [bakend]\n',
    path: 'services.web.depends_on.bakend',
    line: 6,
    column: 18,
    message: /unknown service "bakend"/,
    hint: /did you mean "backend"/,
  },
  {
    name: 'depends_on with an unknown condition',
    text: 'services:\n  db:\n    command: x\n  web:\n    command: y\n    depends_on:\n      db: healthy\n',
    path: 'services.web.depends_on.db',
    line: 7,
    column: 11,
    message: /must be one of started, ready, completed/,
  },
  {
    name: 'dependency cycle of two',
    text: 'services:\n  a:\n    command: x\n    depends_on: [b]\n  b:\n    command: y\n    depends_on: [a]\n',
    path: 'services.b.depends_on.a',
    line: 7,
    column: 18,
    message: /dependency cycle: a → b → a/,
  },
  {
    name: 'dependency cycle of three',
    text: 'services:\n  a:\n    command: x\n    depends_on: [b]\n  b:\n    command: y\n    depends_on: [c]\n  c:\n    command: z\n    depends_on: { a: started }\n',
    path: 'services.c.depends_on.a',
    line: 10,
    column: 19,
    message: /dependency cycle: a → b → c → a/,
  },
  {
    name: 'service depending on itself',
    text: svc('command: x\ndepends_on: [web]'),
    path: 'services.web.depends_on.web',
    line: 4,
    column: 18,
    message: /dependency cycle: web → web/,
    hint: /cannot depend on itself/,
  },
  {
    name: 'missing global env_file',
    text: 'env_file: .env.local\nservices: {}\n',
    path: 'env_file[0]',
    line: 1,
    column: 11,
    message: /env_file \.env\.local does not exist/,
    hint: /create it/,
  },
  {
    name: 'missing service env_file in a list',
    text: svc('command: x\nenv_file: [.env, api/.env]'),
    files: { '.env': 'A=1\n' },
    path: 'services.web.env_file[1]',
    line: 4,
    column: 22,
    message: /api\/\.env does not exist/,
  },
  {
    name: 'missing cwd',
    text: svc('command: x\ncwd: backend'),
    path: 'services.web.cwd',
    line: 4,
    column: 10,
    message: /cwd does not exist/,
  },
  {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
    name: '${VAR} with no value and no default',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
    text: svc('command: x\nenv:\n  DB: ${DEVLAUNCH_TEST_UNSET_VAR}'),
    path: 'services.web.env.DB',
    line: 5,
    column: 11,
    message: /DEVLAUNCH_TEST_UNSET_VAR\} has no value/,
  },
  {
    name: 'env setting an injected name',
    text: svc('command: x\nport: 8000\nenv:\n  PORT: 9000'),
    path: 'services.web.env.PORT',
    line: 6,
    column: 7,
    message: /set by devlaunch/,
  },
  {
    name: 'unknown signal',
    text: svc('command: x\nstop_signal: SIGTREM'),
    path: 'services.web.stop_signal',
    line: 4,
    column: 18,
    message: /unknown signal "SIGTREM"/,
    hint: /did you mean "SIGTERM"/,
  },
  {
    name: 'bad top-level duration',
    text: 'stop_timeout: 5 seconds\nservices: {}\n',
    path: 'stop_timeout',
    line: 1,
    column: 15,
    message: /not a valid duration/,
    expected: /500ms, 5s, 2m/,
  },
  {
    name: 'bad service duration',
    text: svc('command: x\nstop_timeout: -3s'),
    path: 'services.web.stop_timeout',
    line: 4,
    column: 19,
    message: /not a valid duration/,
  },
  {
    name: 'bad ready timeout',
    text: svc('command: x\nready:\n  log: up\n  timeout: soon'),
    path: 'services.web.ready.timeout',
    line: 6,
    column: 16,
    message: /not a valid duration/,
  },
  {
    name: 'ready with two checks',
    text: svc('command: x\nport: 8000\nready:\n  http: /health\n  tcp: true'),
    path: 'services.web.ready',
    line: 5,
    column: 5,
    message: /ready names 2 checks \(http, tcp\)/,
    hint: /keep one/,
  },
  {
    name: 'ready with no check',
    text: svc('command: x\nready:\n  timeout: 5s'),
    path: 'services.web.ready',
    line: 4,
    column: 5,
    message: /ready names no check/,
    hint: /tcp: true/,
  },
  {
    name: 'ready log that is not a regular expression',
    text: svc('command: x\nready:\n  log: "started ("'),
    path: 'services.web.ready.log',
    line: 5,
    column: 12,
    message: /not a valid regular expression.*Unterminated group/,
  },
  {
    name: 'ready http that is neither a path nor a URL',
    text: svc('command: x\nready:\n  http: health'),
    path: 'services.web.ready.http',
    line: 5,
    column: 13,
    message: /http must be/,
    expected: /\/health/,
  },
  {
    name: 'ready tcp false',
    text: svc('command: x\nready:\n  tcp: false'),
    path: 'services.web.ready.tcp',
    line: 5,
    column: 12,
    message: /tcp only takes true/,
  },
  {
    name: 'env value that is a list',
    text: svc('command: x\nenv:\n  HOSTS: [a, b]'),
    path: 'services.web.env.HOSTS',
    line: 5,
    column: 14,
    message: /HOSTS must be a string, number or boolean/,
  },
  {
    name: 'env value left empty',
    text: 'env:\n  TOKEN:\nservices: {}\n',
    path: 'env.TOKEN',
    line: 2,
    column: 3,
    message: /variable TOKEN has no value/,
    hint: /TOKEN: ""/,
  },
  {
    name: 'env name that is not a variable name',
    text: 'env:\n  API-KEY: x\nservices: {}\n',
    path: 'env.API-KEY',
    line: 2,
    column: 3,
    message: /not a valid variable name/,
  },
  {
    name: 'unusable service name',
    text: 'services:\n  "my web":\n    command: x\n',
    path: 'services.my web',
    line: 2,
    column: 3,
    message: /"my web" is not a usable service name/,
  },
  {
    name: 'unknown restart policy',
    text: svc('command: x\nrestart: allways'),
    path: 'services.web.restart',
    line: 4,
    column: 14,
    message: /restart must be one of no, on-failure, always/,
    hint: /did you mean "always"/,
  },
  {
    name: 'unknown on_conflict',
    text: svc('command: x\non_conflict: remapp'),
    path: 'services.web.on_conflict',
    line: 4,
    column: 18,
    message: /must be one of ask, kill, remap, fail/,
    hint: /did you mean "remap"/,
  },
  {
    name: 'port_range the wrong way round',
    text: 'port_range: 9000-8000\nservices: {}\n',
    path: 'port_range',
    line: 1,
    column: 13,
    message: /starts after it ends/,
    hint: /8000-9000/,
  },
  {
    name: 'port_range that is not a range',
    text: 'port_range: 8000\nservices: {}\n',
    path: 'port_range',
    line: 1,
    column: 13,
    message: /must look like 8000-8999/,
  },
  {
    name: 'port_range above 65535',
    text: 'port_range: { from: 65000, to: 70000 }\nservices: {}\n',
    path: 'port_range.to',
    line: 1,
    column: 32,
    message: /at most 65535/,
  },
  {
    name: 'negative max_restarts',
    text: svc('command: x\nmax_restarts: -1'),
    path: 'services.web.max_restarts',
    line: 4,
    column: 19,
    message: /at least 0/,
  },
  {
    name: 'empty project name',
    text: 'name: ""\nservices: {}\n',
    path: 'name',
    line: 1,
    column: 7,
    message: /name is empty/,
  },
  {
    name: 'env_file of the wrong type',
    text: 'env_file: 42\nservices: {}\n',
    path: 'env_file',
    line: 1,
    column: 11,
    message: /env_file must be a dotenv file path, or a list of them, not a number/,
  },
  {
    name: 'services written as a list',
    text: 'services:\n  - web\n',
    path: 'services',
    line: 1,
    column: 1,
    message: /services must be a map/,
  },
];

afterAll(cleanProjects);

describe('manifest rules', () => {
  it('has a case for at least 30 broken manifests', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('$name', (c) => {
    const diagnostics = problems(c.text, c.files);
    const summary = diagnostics.map(
      (d) => `${formatPath(d.path)} ${d.line}:${d.column} ${d.message}`,
    );
    const match = diagnostics.find((d) => formatPath(d.path) === c.path);
    expect(match, `no problem at ${c.path}; got:\n${summary.join('\n')}`).toBeDefined();
    expect(diagnostics, `one problem expected; got:\n${summary.join('\n')}`).toHaveLength(1);
    expect(`${match!.line}:${match!.column}`).toBe(`${c.line}:${c.column}`);
    expect(match!.message).toMatch(c.message);
    if (c.hint) expect(match!.hint).toMatch(c.hint);
    if (c.expected) expect(match!.expected).toMatch(c.expected);
    if (c.found) expect(match!.found).toBe(c.found);
  });
});
