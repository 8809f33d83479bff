import cliProgress from 'cli-progress';

export interface ProgressReporter {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * Reports the progress of a long task: a live bar when stderr is a terminal, otherwise a plain line
 * every tenth of the way (for logs and CI, where a redrawn bar would be noise).
 */
export function createProgressReporter(label: string): ProgressReporter {
  const stream = process.stderr;
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted} elapsed, ETA {eta_formatted}`,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
      stop() {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let lastStep = -1;
  return {
    update(done, total) {
      const step = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (step === lastStep) return;
      lastStep = step;
      process.stdout.write(`${label}: ${done}/${total} (${step * 10}%)\n`);
    },
    stop() {},
  };
}
