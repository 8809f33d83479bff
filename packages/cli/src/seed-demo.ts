import type { SeedOptions } from '@shopstack/kernel';
import { createProgressReporter, type ProgressReporter } from './progress.js';

/**
 * Seed options that report to the console: each service's messages as lines, its progress as a bar
 * (or a line every tenth of the way). `done()` ends any bar still drawn.
 */
export function consoleSeedOptions(
  options: Omit<SeedOptions, 'report' | 'progress'>,
): SeedOptions & { done(): void } {
  const bars = new Map<string, ProgressReporter>();
  const done = () => {
    for (const bar of bars.values()) bar.stop();
    bars.clear();
  };
  return {
    ...options,
    report: (message) => {
      done();
      console.log(message);
    },
    progress: (label, current, total) => {
      let bar = bars.get(label);
      if (!bar) bars.set(label, (bar = createProgressReporter(label)));
      bar.update(current, total);
    },
    done,
  };
}
