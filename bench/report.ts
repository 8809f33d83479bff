import type { LoadResult } from './load.js';

export type Backend = 'pglite' | 'postgres';
export type Scenario = 'hello-world' | 'product-detail' | 'product-list' | 'search';

export interface ScenarioResult extends LoadResult {
  backend: Backend | 'fastify';
  scenario: Scenario;
  /** Throughput as a share of the bare Fastify ceiling measured in the same run. */
  ratioToCeiling: number;
}

export interface TargetCheck {
  backend: ScenarioResult['backend'];
  scenario: Scenario;
  target: string;
  holds: boolean;
}

/** The goals the catalogue must meet; throughput goals apply to PostgreSQL, error goals everywhere. */
export function checkTargets(results: readonly ScenarioResult[]): TargetCheck[] {
  return results.map((r) => {
    const clean = r.errors === 0 && r.non2xx === 0 && r.warmupFailures === 0;
    const check = (target: string, holds: boolean) => ({
      backend: r.backend,
      scenario: r.scenario,
      target: `${target}${target ? ', ' : ''}no errors`,
      holds: holds && clean,
    });
    if (r.backend !== 'postgres') return check('', true);
    switch (r.scenario) {
      case 'product-detail':
        return check('>= 40% of ceiling', r.ratioToCeiling >= 0.4);
      case 'product-list':
        return check('>= 20% of ceiling', r.ratioToCeiling >= 0.2);
      case 'search':
        return check('>= 1000 req/s, p99 < 100 ms', r.requestsPerSec >= 1000 && r.p99Ms < 100);
      default:
        return check('', true);
    }
  });
}

/** An aligned plain-text table of the results with the verdict of each target. */
export function formatTable(results: readonly ScenarioResult[], checks: readonly TargetCheck[]): string {
  const header = [
    'backend',
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'non-2xx',
    'ceiling',
    'target',
    'holds',
  ];
  const rows = results.map((r, i) => [
    r.backend,
    r.scenario,
    String(r.requestsPerSec),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    String(r.errors),
    String(r.non2xx),
    `${(r.ratioToCeiling * 100).toFixed(1)}%`,
    checks[i]!.target,
    checks[i]!.holds ? 'yes' : 'NO',
  ]);
  const numeric = new Set([2, 3, 4, 5, 6, 7]);
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((row) => row[col]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, col) => (numeric.has(col) ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
