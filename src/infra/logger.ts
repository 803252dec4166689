// pino JSON logs by default, readable on a terminal (DECISIONS.md §10). Personal data and secrets are
// redacted by path (152-ФЗ): tokens, passwords, cookies, SNILS and names never reach a log line.
import pino, { type Logger } from 'pino';
import { redactDeep } from './redact-deep.js';

export const REDACT_PATHS = [
  'password', '*.password', 'token', '*.token', 'accessToken', '*.accessToken', 'refreshToken', '*.refreshToken',
  'authorization', '*.authorization', 'headers.authorization', 'headers.cookie', '*.headers.cookie', 'cookie', '*.cookie',
  'headers["auth-token"]', 'headers["access-token"]', 'headers.at', 'snils', '*.snils', 'familyName', '*.familyName',
  'givenName', '*.givenName', 'middleName', '*.middleName', 'birthDate', '*.birthDate', 'clientSecret', '*.clientSecret',
  'identifiers', '*.identifiers',
];

export interface LoggerOptions {
  level?: string;
  /** Pretty output for humans; defaults to "stdout is a terminal" or LOG_PRETTY=1. */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const pretty = opts.pretty ?? (process.env.LOG_PRETTY === '1' || (process.stdout.isTTY && process.env.LOG_PRETTY !== '0'));
  const base = {
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // The paths above are fixed depths; the walk catches the same keys wherever a line nests them. (A child logger's
    // bindings are not walked — pino does not format them — and the gateway binds ids only: job, school, platform.)
    formatters: { log: (o: Record<string, unknown>) => redactDeep(o) },
    base: { app: 'journal-gateway' },
  };
  if (opts.destination) return pino(base, opts.destination as pino.DestinationStream);
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, destination: 2, ignore: 'pid,hostname,app' } } });
  }
  // Logs go to stderr so commands whose stdout is data (NDJSON, reports) stay pipeable.
  return pino(base, pino.destination(2));
}
