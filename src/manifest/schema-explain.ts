/** Precise messages for values the schema rejects, where zod's generic ones would be vague. */
import type { Explanation } from './field-info.js';
import { kindOf } from './field-info.js';
import { suggestSignal } from './signals.js';

export function explainPort(value: unknown, key: string): Explanation {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return { message: `${key} must be a whole number` };
    return {
      message: `${key} must be between 1 and 65535`,
      hint: 'use auto (or 0) to take any free port',
    };
  }
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) {
    return {
      message: `${key} must be a number, not text`,
      hint: `write ${key}: ${value.trim()} without quotes`,
    };
  }
  return { message: `${key} must be a port number or auto, not ${kindOf(value)}` };
}

export function explainCommand(value: unknown, key: string): Explanation {
  if (typeof value === 'string') {
    return { message: `${key} is empty`, hint: 'write what to run, e.g. npm run dev' };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return { message: `${key} is an empty list`, hint: 'write [program, arg, ...]' };
    }
    if (value.some((item) => typeof item !== 'string')) {
      return {
        message: `every item of ${key} must be text`,
        hint: 'quote numbers and flags in the list, e.g. ["node", "server.js", "--port", "8000"]',
      };
    }
    return { message: `the program (first item) of ${key} is empty` };
  }
  if (value === null || value === undefined) {
    return { message: `${key} is empty`, hint: 'write what to run, e.g. npm run dev' };
  }
  return { message: `${key} must be text or a list, not ${kindOf(value)}` };
}

/** Also used as a check on a well-formed range: undefined when the range is valid. */
export function explainPortRange(value: unknown, key: string): Explanation | undefined {
  let from: number;
  let to: number;
  if (typeof value === 'string') {
    const match = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(value);
    if (!match) return { message: `${key} must look like 8000-8999` };
    from = Number(match[1]);
    to = Number(match[2]);
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const range = value as { from?: unknown; to?: unknown };
    if (typeof range.from !== 'number' || typeof range.to !== 'number') {
      return { message: `${key} needs from and to, each a port number 1–65535` };
    }
    from = range.from;
    to = range.to;
  } else {
    return { message: `${key} must look like 8000-8999, not ${kindOf(value)}` };
  }
  const valid = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;
  if (!valid(from) || !valid(to)) return { message: `${key} ports must be between 1 and 65535` };
  if (from > to) {
    return { message: `${key} starts after it ends`, hint: `write ${to}-${from}` };
  }
  return undefined;
}

export function explainSignal(value: unknown, key: string): Explanation {
  if (typeof value !== 'string') return { message: `${key} must be a signal name` };
  const suggestion = suggestSignal(value);
  return {
    message: `unknown signal "${value}"`,
    hint: suggestion ? `did you mean "${suggestion}"?` : 'use SIGTERM, SIGINT, SIGHUP or SIGQUIT',
  };
}

/** For a range whose bounds are valid ports: a problem only when it runs backwards. */
export function rangeOrder(value: unknown): Explanation | undefined {
  const explained = explainPortRange(value, 'port_range');
  return explained?.message.includes('starts after it ends') ? explained : undefined;
}
