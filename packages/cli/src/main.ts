import { ConfigError, DomainError } from '@shopstack/kernel';
import { createProgram } from './program.js';

// Configuration and domain errors are the user's to fix: print the message alone, no stack.
try {
  await createProgram().parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError || err instanceof DomainError) {
    console.error(`shopstack: ${err.message}`);
  } else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`shopstack: ${(err as Error).message}: another process holds that port; set PORT to use another one.`);
  } else {
    console.error('shopstack: failed:', err);
  }
  process.exitCode = 1;
}
