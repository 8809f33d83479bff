import { ConfigError, DomainError } from '@shopstack/kernel';
import { createProgram } from './program.js';

const hints: Record<string, string> = {
  EADDRINUSE: 'another process holds that port; set PORT to use another one.',
  ECONNREFUSED: 'nothing answers at that address; is PostgreSQL running, and is DATABASE_URL right?',
  ENOTFOUND: 'that host name does not resolve; check DATABASE_URL.',
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
  const code = (err as { code?: unknown }).code;
  if (err instanceof Error && typeof code === 'string') {
    const hint = hints[code];
    console.error(`shopstack: ${err.message}${hint ? `: ${hint}` : ''}`);
    return;
  }
  console.error('shopstack: failed:', err);
}

try {
  await createProgram().parseAsync(process.argv);
} catch (err) {
  report(err);
  process.exitCode = 1;
}
