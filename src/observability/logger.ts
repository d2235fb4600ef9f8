import pino, { type Logger, type DestinationStream } from 'pino';
import type { Redactor } from './redact.ts';

export type { Logger };

/**
 * pino JSON logs with redaction applied to every object and message,
 * including the request headers Fastify logs on errors.
 */
export function createLogger(opts: { level: string; redactor: Redactor; destination?: DestinationStream; name?: string }): Logger {
  const { redactor } = opts;
  return pino({
    level: opts.level,
    name: opts.name ?? 'switchyard',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (obj) => redactor.value(obj) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const clean = args.map((a) => (typeof a === 'string' ? redactor.string(a) : a));
        method.apply(this, clean as Parameters<typeof method>);
      },
    },
  }, opts.destination);
}
