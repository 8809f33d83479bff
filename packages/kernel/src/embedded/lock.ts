import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Conflict } from '../errors.js';

/** Data directories this process holds: opening one twice would corrupt it as surely as two processes. */
const heldHere = new Set<string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock of an embedded data directory for this process and returns its release.
 * PGlite has no lock of its own, and two processes writing one data directory would corrupt it, so
 * whoever opens it takes `<dataDir>.lock` (holding its pid) first. A lock left by a dead process is
 * taken over.
 */
export function lockDataDirectory(dataDir: string, purpose: string): () => void {
  const file = `${path.resolve(dataDir)}.lock`;
  if (heldHere.has(file)) {
    throw new Conflict(`The embedded database ${dataDir} is already open in this process.`);
  }
  mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const [pidText = '', holder = 'another command'] = readFileSync(file, 'utf8').split('\n');
      const pid = Number(pidText);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) {
        throw new Conflict(
          `The embedded database ${dataDir} is in use by process ${pid} (${holder}). ` +
            'Stop it first, or use PostgreSQL (DATABASE_URL) to share one database between processes.',
        );
      }
      // The holder is gone: the lock is stale.
      rmSync(file, { force: true });
      continue;
    }
    writeSync(fd, `${process.pid}\n${purpose}\n`);
    closeSync(fd);
    heldHere.add(file);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      heldHere.delete(file);
      process.removeListener('exit', release);
      rmSync(file, { force: true });
    };
    process.once('exit', release);
    return release;
  }
  throw new Conflict(`Could not take the lock ${file}; another process is opening the same store.`);
}
