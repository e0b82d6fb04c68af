import pino, { type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Structured JSON logs on stdout. `LOG_LEVEL` sets the level (`silent` in tests). */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'infrastructure-plan-registry' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
