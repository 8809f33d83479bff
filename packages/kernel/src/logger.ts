import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger } from 'pino';

/** Paths the logger always censors: credentials, tokens and personal secrets. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'adminToken',
  'serviceSecret',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.adminToken',
  '*.serviceSecret',
  'config.auth',
  // Card details and the payment webhook secret: never logged on purpose, censored should they ever be.
  'cvc',
  '*.cvc',
  'body.number',
  'req.body.number',
  'req.body.cvc',
  'webhookSecret',
  '*.webhookSecret',
  'secretAccessKey',
  '*.secretAccessKey',
];

/** Creates the process logger: JSON lines, carrying store id, with secrets redacted. */
export function createLogger(
  config: Pick<Config, 'log'> & { store: Pick<Config['store'], 'id' | 'name' | 'currency'> },
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level: config.log.level,
      base: { store: config.store.id },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
