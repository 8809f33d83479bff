import { ConfigError, DomainError, loadConfig, type Config } from '@shopstack/kernel';
import { databaseFailureOf, describeDatabaseFailure } from './database-failure.js';
import { createProgram } from './program.js';

const hints: Record<string, string> = {
  EADDRINUSE: 'another process holds that port; set PORT to use another one.',
};

/**
 * Configuration errors, domain errors and errors of the environment (a port in use, a database that
 * does not answer: anything carrying an error code) are the user's to fix, so they print as one line.
 * Anything else is a bug and prints with its stack.
 */
function report(err: unknown): void {
  if (err instanceof ConfigError || err instanceof DomainError) {
    console.error(`shopstack: ${err.message}`);
    return;
  }
  // A database that cannot be reached or opened fails deep inside a driver; say it in the user's terms.
  const databaseFailure = databaseFailureOf(err);
  if (databaseFailure) {
    console.error(`shopstack: ${describeDatabaseFailure(databaseFailure, configOrUndefined())}`);
    return;
  }
  const code = (err as { code?: unknown }).code;
  if (err instanceof Error && typeof code === 'string') {
    const hint = hints[code];
    console.error(`shopstack: ${err.message}${hint ? `: ${hint}` : ''}`);
    return;
  }
  console.error('shopstack: failed:', err);
}

/** The configuration the command ran with (it loaded once already, so it loads again the same). */
function configOrUndefined(): Config | undefined {
  try {
    return loadConfig();
  } catch {
    return undefined;
  }
}

try {
  await createProgram().parseAsync(process.argv);
} catch (err) {
  report(err);
  process.exitCode = 1;
}
