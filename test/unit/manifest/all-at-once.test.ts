import { afterAll, describe, expect, it } from 'vitest';
import { formatPath } from '../../../src/manifest/format.js';
import { cleanProjects, problems, yaml } from './helpers.js';

afterAll(cleanProjects);

describe('every problem at once', () => {
  it('reports six problems of six kinds in one run, in source order', () => {
    const text = yaml(`
      stop_timout: 5s
      services:
        api:
          command: node api.js
          port: 70000
          depends_on: [db]
        web:
          command: node web.js
          port: 3000
          env:
            API: \${DL_TEST_NEVER_SET}
        admin:
          command: node admin.js
          port: 3000
          stop_signal: SIGNOPE
    `);
    const found = problems(text).map((d) => `${d.line}:${d.column} ${formatPath(d.path)}`);
    expect(found).toEqual([
      '1:1 stop_timout',
      '5:11 services.api.port',
      '6:18 services.api.depends_on.db',
      '11:12 services.web.env.API',
      '14:11 services.admin.port',
      '15:18 services.admin.stop_signal',
    ]);
  });

  it('still checks relations when the schema rejects other values', () => {
    const text = yaml(`
      services:
        a:
          command: ""
          port: 8000
          depends_on: [b]
        b:
          command: x
          port: 8000
          restart: sometimes
          depends_on: [a]
    `);
    const messages = problems(text).map((d) => d.message);
    expect(messages).toEqual([
      'command is empty',
      'port 8000 is already preferred by a.port',
      'restart must be one of no, on-failure, always',
      'dependency cycle: a → b → a',
    ]);
  });
});
