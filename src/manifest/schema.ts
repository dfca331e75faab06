/**
 * The one schema of `launcher.yaml`: the source of validation (shape, types, ranges, unknown
 * keys), of the raw TypeScript types below, and of the shipped `launcher.schema.json`.
 * Relations between values (two services on one port, dependency cycles, missing files) need
 * the whole manifest and live in `rules/`. Defaults are filled by `normalize.ts`, not here, so
 * the schema describes exactly what a user may write.
 */

import * as z from 'zod/mini';
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
import { describe, meta, optional } from './zod.js';

export const SERVICE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NON_BLANK = /\S/;

const Duration = field(
  z.union([z.number().check(z.minimum(0)), z.string().check(z.regex(DURATION_PATTERN))]).check(
    z.superRefine((v, ctx) => {
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
  ),
  {
    expected: 'a duration such as 500ms, 5s, 2m, or a number of seconds',
    explain: (_v, key) => ({ message: `${key} is not a valid duration` }),
  },
);

/**
 * `${BACKEND_PORT:-8000}` is expanded (manifest/port-vars.ts) before this schema runs; the
 * alternative is here for the JSON Schema, so editors accept it too.
 */
const PortTemplate = z.string().check(z.regex(/\$\{[A-Za-z_][A-Za-z0-9_]*(:?-[^}]*)?\}/));

const Port = describe(
  field(
    z.union([z.int().check(z.minimum(0)).check(z.maximum(65535)), z.literal('auto'), PortTemplate]),
    { expected: 'a port number 1–65535, or auto', explain: explainPort },
  ),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
  'A port number 1–65535; 0 or auto always takes a free port; ${VAR} or ${VAR:-8000} takes it from the dotenv files or the environment.',
);

const Command = field(
  z.union([z.string().check(z.regex(NON_BLANK)), z.array(z.string()).check(z.minLength(1))]).check(
    z.superRefine((v, ctx) => {
      if (Array.isArray(v) && v.length > 0 && !NON_BLANK.test(String(v[0]))) {
        ctx.addIssue({ code: 'custom', message: 'the program (first item) is empty', input: v });
      }
    }),
  ),
  {
    expected: 'a command string, or a non-empty list [program, arg, ...]',
    explain: explainCommand,
  },
);

const PathText = field(z.string().check(z.regex(NON_BLANK)), { expected: 'a path' });

const EnvFiles = describe(
  field(z.union([PathText, z.array(PathText)]), {
    expected: 'a dotenv file path, or a list of them',
  }),
  'Dotenv file(s), relative to the project root. Later files override earlier ones.',
);

const EnvValue = field(z.union([z.string(), z.number(), z.boolean()]), {
  expected: 'a string, number or boolean',
  explain: (v, key) =>
    v === null
      ? { message: `variable ${key} has no value`, hint: `write ${key}: "" for an empty value` }
      : { message: `variable ${key} must be a string, number or boolean` },
});

const EnvName = field(z.string().check(z.regex(ENV_NAME)), {
  expected: 'a variable name: letters, digits and _, not starting with a digit',
  explain: (_v, key) => ({ message: `"${key}" is not a valid variable name` }),
});

const EnvMap = describe(
  z.record(EnvName, EnvValue),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
  'Variables. Values may use ${VAR}, ${VAR:-default}; $$ is a literal $.',
);

const ServiceName = field(z.string().check(z.regex(SERVICE_NAME)), {
  expected: 'a name of letters, digits, ".", "_" or "-", starting with a letter, digit or "_"',
  explain: (_v, key) => ({ message: `"${key}" is not a usable service name` }),
});

const Signal = describe(
  field(
    z
      .string()
      .check(z.refine((s: string) => normalizeSignal(s) !== null, { message: 'unknown signal' })),
    {
      expected: 'a signal name such as SIGTERM, SIGINT, SIGHUP or SIGQUIT',
      explain: explainSignal,
    },
  ),
  'A signal name such as SIGTERM, SIGINT, SIGHUP, SIGQUIT (the SIG prefix is optional).',
);

const READY_FORMS = ['http', 'tcp', 'log', 'command'] as const;

const Condition = z.enum(['started', 'ready', 'completed']);

export const ReadySchema = describe(
  z
    .strictObject({
      http: optional(
        field(
          z.string().check(
            z.refine((s: string) => s.startsWith('/') || /^https?:\/\/\S+$/.test(s), {
              message: 'not a path or an http(s) URL',
            }),
          ),
          { expected: 'a path such as /health, or an http(s):// URL' },
        ),
        'GET this path (on the service port) or URL; ready on a 2xx/3xx answer.',
      ),
      tcp: optional(
        field(z.literal(true), {
          expected: 'true',
          explain: () => ({
            message: 'tcp only takes true',
            hint: 'remove ready: to count the service ready as soon as it has started',
          }),
        }),
        'Ready once the service port accepts a connection.',
      ),
      log: optional(
        field(
          z.string().check(
            z.superRefine((s: string, ctx) => {
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
          ),
          { expected: 'a regular expression' },
        ),
        'Ready once a line of the service output matches this regular expression.',
      ),
      command: optional(Command, 'Ready once this command exits with code 0.'),
      timeout: optional(Duration, 'Give up after this long. Default 60s.'),
      interval: optional(Duration, 'Longest pause between two probes. Default 500ms.'),
    })
    .check(
      z.superRefine((ready, ctx) => {
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
      }),
    ),
  'How the service shows it is ready: exactly one of http, tcp, log, command.',
);

export const ServiceSchema = describe(
  field(
    z.strictObject({
      command: describe(
        Command,
        'A string runs through the platform shell; a list runs directly, without a shell.',
      ),
      cwd: optional(PathText, 'Working directory, relative to the project root.'),
      port: optional(Port),
      ports: optional(z.record(ServiceName, Port), 'Extra named ports, each like port.'),
      host: optional(
        field(z.string().check(z.regex(NON_BLANK)), { expected: 'a host name' }),
        'Host used in URLs and probes. Default localhost.',
      ),
      env: optional(EnvMap),
      env_file: optional(EnvFiles),
      depends_on: optional(
        z.union([z.array(z.string()), z.record(ServiceName, Condition)]),
        'Services to start first: a list (wait until ready) or a map name: condition.',
      ),
      ready: optional(ReadySchema),
      on_conflict: optional(
        z.enum(['ask', 'kill', 'remap', 'fail']),
        'When the preferred port is held by a foreign process. Default ask on a terminal, else fail.',
      ),
      stop_signal: optional(Signal),
      stop_timeout: optional(Duration, 'Grace before the whole tree gets SIGKILL. Default 5s.'),
      restart: optional(z.enum(['no', 'on-failure', 'always']), 'Restart policy. Default no.'),
      max_restarts: optional(
        z.int().check(z.minimum(0)),
        'Restarts allowed before the service counts as failed. Default 3.',
      ),
      url: optional(
        field(z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//)), {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
          expected: 'a URL template such as redis://${HOST}:${PORT}',
        }),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the manifest syntax itself
        'The URL others get as S_URL, for a service that is not HTTP, e.g. redis://${HOST}:${PORT}; ${HOST}, ${PORT} and ${<NAME>_PORT} of its named ports are filled in. Default http://HOST:PORT.',
      ),
      open: optional(
        field(z.string().check(z.regex(NON_BLANK)), { expected: 'a path or URL' }),
        'Path or URL to open in the browser once the service is ready.',
      ),
    }),
    {
      expected: 'a map of service settings, with at least command',
      explain: (v, key) =>
        v === null
          ? { message: `service ${key} has no settings`, hint: 'a service needs at least command:' }
          : undefined,
    },
  ),
  'One service: a process devlaunch starts, and all its descendants.',
);

export const ManifestSchema = meta(
  z.strictObject({
    name: optional(
      field(z.string().check(z.regex(NON_BLANK)), { expected: 'a project name' }),
      "Project name. Default: the project root's folder name.",
    ),
    env_file: optional(EnvFiles),
    env: optional(EnvMap),
    port_range: optional(
      field(
        z
          .union([
            z.string().check(z.regex(/^\s*\d+\s*-\s*\d+\s*$/)),
            z.strictObject({
              from: z.int().check(z.minimum(1)).check(z.maximum(65535)),
              to: z.int().check(z.minimum(1)).check(z.maximum(65535)),
            }),
          ])
          .check(
            z.superRefine((v, ctx) => {
              // Only the order of a well-formed range: the bounds have checks of their own.
              const explained = rangeOrder(v);
              if (explained) ctx.addIssue({ code: 'custom', message: explained.message, input: v });
            }),
          ),
        { expected: 'a range such as 8000-8999', explain: explainPortRange },
      ),
      'Where remapped ports are looked for first, e.g. 8000-8999.',
    ),
    stop_timeout: optional(Duration, 'Default stop_timeout of every service. Default 5s.'),
    dashboard: optional(
      field(z.union([z.boolean(), z.int().check(z.minimum(0)).check(z.maximum(65535))]), {
        expected: 'a port number 1–65535, true, or false',
      }),
      'The browser dashboard on 127.0.0.1: a fixed port, or false to turn it off. Default: on, at a port from the OS.',
    ),
    services: describe(z.record(ServiceName, ServiceSchema), 'The services, by name.'),
  }),
  {
    title: 'devlaunch manifest (launcher.yaml)',
    description: 'The services devlaunch starts and stops, with their ports and dependencies.',
  },
);

export type RawManifest = z.input<typeof ManifestSchema>;
export type RawService = z.input<typeof ServiceSchema>;
export type RawReady = z.input<typeof ReadySchema>;
