/**
 * The one schema of `launcher.yaml`: the source of validation (shape, types, ranges, unknown
 * keys), of the raw TypeScript types below, and of the shipped `launcher.schema.json`.
 * Relations between values (two services on one port, dependency cycles, missing files) need
 * the whole manifest and live in `rules/`. Defaults are filled by `normalize.ts`, not here, so
 * the schema describes exactly what a user may write.
 */
import * as z from 'zod';
import { DURATION_PATTERN, MAX_DURATION_MS, parseDuration } from './duration.js';
import { field } from './field-info.js';
import {
  explainCommand,
  explainPort,
  explainPortRange,
  explainSignal,
  rangeOrder,
} from './schema-explain.js';
import { normalizeSignal } from './signals.js';

// zod compiles a fast parser for each object schema with new Function on its first parse: a
// second compilation of code no cache keeps, in a process that parses one manifest and exits.
z.config({ jitless: true });

export const SERVICE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NON_BLANK = /\S/;

const Duration = field(
  z.union([z.number().min(0), z.string().regex(DURATION_PATTERN)]).superRefine((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === null || ms <= MAX_DURATION_MS) return;
    ctx.addIssue({
      code: 'custom',
      input: v,
      message: `${/^[\d.]+$/.test(String(v)) ? `${v} seconds` : v} is over 24 days, longer than a timer can wait`,
      params: {
        expected: 'a duration of at most 596h (24 days)',
        hint: 'use at most 596h; for a check that should practically never time out, 24h is plenty',
      },
    });
  }),
  {
    expected: 'a duration such as 500ms, 5s, 2m, or a number of seconds',
    explain: (_v, key) => ({ message: `${key} is not a valid duration` }),
  },
);

/**
 * `${BACKEND_PORT:-8000}` is expanded (manifest/port-vars.ts) before this schema runs; the
 * alternative is here for the JSON Schema, so editors accept it too.
 */
const PortTemplate = z.string().regex(/\$\{[A-Za-z_][A-Za-z0-9_]*(:?-[^}]*)?\}/);

const Port = field(z.union([z.int().min(0).max(65535), z.literal('auto'), PortTemplate]), {
  expected: 'a port number 1–65535, or auto',
  explain: explainPort,
}).describe(
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
  'A port number 1–65535; 0 or auto always takes a free port; ${VAR} or ${VAR:-8000} takes it from the dotenv files or the environment.',
);

const Command = field(
  z.union([z.string().regex(NON_BLANK), z.array(z.string()).min(1)]).superRefine((v, ctx) => {
    if (Array.isArray(v) && v.length > 0 && !NON_BLANK.test(String(v[0]))) {
      ctx.addIssue({ code: 'custom', message: 'the program (first item) is empty', input: v });
    }
  }),
  {
    expected: 'a command string, or a non-empty list [program, arg, ...]',
    explain: explainCommand,
  },
);

const PathText = field(z.string().regex(NON_BLANK), { expected: 'a path' });

const EnvFiles = field(z.union([PathText, z.array(PathText)]), {
  expected: 'a dotenv file path, or a list of them',
}).describe('Dotenv file(s), relative to the project root. Later files override earlier ones.');

const EnvValue = field(z.union([z.string(), z.number(), z.boolean()]), {
  expected: 'a string, number or boolean',
  explain: (v, key) =>
    v === null
      ? { message: `variable ${key} has no value`, hint: `write ${key}: "" for an empty value` }
      : { message: `variable ${key} must be a string, number or boolean` },
});

const EnvName = field(z.string().regex(ENV_NAME), {
  expected: 'a variable name: letters, digits and _, not starting with a digit',
  explain: (_v, key) => ({ message: `"${key}" is not a valid variable name` }),
});

const EnvMap = z
  .record(EnvName, EnvValue)
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
  .describe('Variables. Values may use ${VAR}, ${VAR:-default}; $$ is a literal $.');

const ServiceName = field(z.string().regex(SERVICE_NAME), {
  expected: 'a name of letters, digits, ".", "_" or "-", starting with a letter, digit or "_"',
  explain: (_v, key) => ({ message: `"${key}" is not a usable service name` }),
});

const Signal = field(
  z.string().refine((s) => normalizeSignal(s) !== null, { message: 'unknown signal' }),
  { expected: 'a signal name such as SIGTERM, SIGINT, SIGHUP or SIGQUIT', explain: explainSignal },
).describe('A signal name such as SIGTERM, SIGINT, SIGHUP, SIGQUIT (the SIG prefix is optional).');

const READY_FORMS = ['http', 'tcp', 'log', 'command'] as const;

const Condition = z.enum(['started', 'ready', 'completed']);

export const ReadySchema = z
  .strictObject({
    http: field(
      z.string().refine((s) => s.startsWith('/') || /^https?:\/\/\S+$/.test(s), {
        message: 'not a path or an http(s) URL',
      }),
      { expected: 'a path such as /health, or an http(s):// URL' },
    )
      .describe('GET this path (on the service port) or URL; ready on a 2xx/3xx answer.')
      .optional(),
    tcp: field(z.literal(true), {
      expected: 'true',
      explain: () => ({
        message: 'tcp only takes true',
        hint: 'remove ready: to count the service ready as soon as it has started',
      }),
    })
      .describe('Ready once the service port accepts a connection.')
      .optional(),
    log: field(
      z.string().superRefine((s, ctx) => {
        try {
          new RegExp(s);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          ctx.addIssue({
            code: 'custom',
            message: `log is not a valid regular expression: ${reason.replace(/^Invalid regular expression: /, '')}`,
            input: s,
            params: { hint: 'escape special characters such as ( [ + ? with a backslash' },
          });
        }
      }),
      { expected: 'a regular expression' },
    )
      .describe('Ready once a line of the service output matches this regular expression.')
      .optional(),
    command: Command.describe('Ready once this command exits with code 0.').optional(),
    timeout: Duration.describe('Give up after this long. Default 60s.').optional(),
    interval: Duration.describe('Longest pause between two probes. Default 500ms.').optional(),
  })
  .superRefine((ready, ctx) => {
    const forms = READY_FORMS.filter((form) => ready[form] !== undefined);
    if (forms.length === 1) return;
    ctx.addIssue({
      code: 'custom',
      input: ready,
      message:
        forms.length === 0
          ? 'ready names no check'
          : `ready names ${forms.length} checks (${forms.join(', ')}); it takes exactly one`,
      params: {
        atKey: true,
        expected: 'exactly one of http, tcp, log, command (plus timeout, interval)',
        found: forms.length === 0 ? 'none' : forms.join(' and '),
        hint:
          forms.length === 0
            ? 'add one, e.g. tcp: true or http: /health'
            : 'keep one: the checks are not combined',
      },
    });
  })
  .describe('How the service shows it is ready: exactly one of http, tcp, log, command.');

export const ServiceSchema = field(
  z.strictObject({
    command: Command.describe(
      'A string runs through the platform shell; a list runs directly, without a shell.',
    ),
    cwd: PathText.describe('Working directory, relative to the project root.').optional(),
    port: Port.optional(),
    ports: z.record(ServiceName, Port).describe('Extra named ports, each like port.').optional(),
    host: field(z.string().regex(NON_BLANK), { expected: 'a host name' })
      .describe('Host used in URLs and probes. Default localhost.')
      .optional(),
    env: EnvMap.optional(),
    env_file: EnvFiles.optional(),
    depends_on: z
      .union([z.array(z.string()), z.record(ServiceName, Condition)])
      .describe('Services to start first: a list (wait until ready) or a map name: condition.')
      .optional(),
    ready: ReadySchema.optional(),
    on_conflict: z
      .enum(['ask', 'kill', 'remap', 'fail'])
      .describe(
        'When the preferred port is held by a foreign process. Default ask on a terminal, else fail.',
      )
      .optional(),
    stop_signal: Signal.optional(),
    stop_timeout: Duration.describe(
      'Grace before the whole tree gets SIGKILL. Default 5s.',
    ).optional(),
    restart: z
      .enum(['no', 'on-failure', 'always'])
      .describe('Restart policy. Default no.')
      .optional(),
    max_restarts: z
      .int()
      .min(0)
      .describe('Restarts allowed before the service counts as failed. Default 3.')
      .optional(),
    url: field(z.string().regex(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//), {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
      expected: 'a URL template such as redis://${HOST}:${PORT}',
    })
      .describe(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
        'The URL others get as S_URL, for a service that is not HTTP, e.g. redis://${HOST}:${PORT}; ${HOST}, ${PORT} and ${<NAME>_PORT} of its named ports are filled in. Default http://HOST:PORT.',
      )
      .optional(),
    open: field(z.string().regex(NON_BLANK), { expected: 'a path or URL' })
      .describe('Path or URL to open in the browser once the service is ready.')
      .optional(),
  }),
  {
    expected: 'a map of service settings, with at least command',
    explain: (v, key) =>
      v === null
        ? { message: `service ${key} has no settings`, hint: 'a service needs at least command:' }
        : undefined,
  },
).describe('One service: a process devlaunch starts, and all its descendants.');

export const ManifestSchema = z
  .strictObject({
    name: field(z.string().regex(NON_BLANK), { expected: 'a project name' })
      .describe("Project name. Default: the project root's folder name.")
      .optional(),
    env_file: EnvFiles.optional(),
    env: EnvMap.optional(),
    port_range: field(
      z
        .union([
          z.string().regex(/^\s*\d+\s*-\s*\d+\s*$/),
          z.strictObject({ from: z.int().min(1).max(65535), to: z.int().min(1).max(65535) }),
        ])
        .superRefine((v, ctx) => {
          // Only the order of a well-formed range: the bounds have checks of their own.
          const explained = rangeOrder(v);
          if (explained) ctx.addIssue({ code: 'custom', message: explained.message, input: v });
        }),
      { expected: 'a range such as 8000-8999', explain: explainPortRange },
    )
      .describe('Where remapped ports are looked for first, e.g. 8000-8999.')
      .optional(),
    stop_timeout: Duration.describe(
      'Default stop_timeout of every service. Default 5s.',
    ).optional(),
    dashboard: field(z.union([z.boolean(), z.int().min(0).max(65535)]), {
      expected: 'a port number 1–65535, true, or false',
    })
      .describe(
        'The browser dashboard on 127.0.0.1: a fixed port, or false to turn it off. Default: on, at a port from the OS.',
      )
      .optional(),
    services: z.record(ServiceName, ServiceSchema).describe('The services, by name.'),
  })
  .meta({
    title: 'devlaunch manifest (launcher.yaml)',
    description: 'The services devlaunch starts and stops, with their ports and dependencies.',
  });

export type RawManifest = z.input<typeof ManifestSchema>;
export type RawService = z.input<typeof ServiceSchema>;
export type RawReady = z.input<typeof ReadySchema>;
