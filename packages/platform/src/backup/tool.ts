import { spawn } from 'node:child_process';
import { InvalidState } from '@shopstack/kernel';

/**
 * Runs a PostgreSQL client tool (pg_dump, pg_restore) to its end; a failure is an error naming the
 * tool and the last lines it printed. Passwords come from the environment (PGPASSWORD), never the
 * command line.
 */
export function runTool(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      // The end says why it failed; a long run of warnings before it is not worth keeping.
      stderr = (stderr + chunk).slice(-4000);
    });
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new InvalidState(
              `${command} was not found: install the PostgreSQL client tools (their version at least the server's).`,
            )
          : err,
      ),
    );
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      const said = stderr.trim().split('\n').slice(-3).join(' | ');
      reject(new InvalidState(`${command} failed (${signal ?? `exit ${code}`})${said ? `: ${said}` : ''}`));
    });
  });
}
