import { loadConfig, type Config } from '@shopstack/kernel';
import { redactUrl } from './database-target.js';

/** The configuration with every secret replaced, safe to print or paste into a bug report. */
export function redactConfig(config: Config): Config {
  return {
    ...config,
    auth: Object.fromEntries(
      Object.entries(config.auth).map(([key, secret]) => [key, secret === undefined ? secret : '[redacted]']),
    ),
    database: { ...config.database, ...(config.database.url ? { url: redactUrl(config.database.url) } : {}) },
  };
}

/** `shopstack config`: prints the effective configuration (defaults, file, environment) as JSON. */
export function showConfigCommand(): void {
  console.log(JSON.stringify(redactConfig(loadConfig()), null, 2));
}
