import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { bulkImportCsv } from '../packages/catalogue/test/bulk-import-csv.js';
import type { Backend } from './report.js';

/** How the server answers while one staff import of many rows runs. */
export interface DuringImportResult {
  backend: Backend;
  scenario: 'during-import';
  importRows: number;
  importSeconds: number;
  importStatus: number;
  liveProbes: number;
  liveMaxMs: number;
  /** Seconds after the import started that the slowest probe was sent. */
  liveMaxAtS: number;
  liveP99Ms: number;
  cachedReadProbes: number;
  cachedReadMaxMs: number;
  cachedReadMaxAtS: number;
  cachedReadP99Ms: number;
}

/** Targets while the import runs. */
export const DURING_IMPORT_TARGETS = { liveMaxMs: 100, cachedReadMaxMs: 50 };

/** One GET on a fresh connection, as a liveness probe makes it; resolves with the status and milliseconds. */
function probe(url: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      response.resume();
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Posts a CSV import of `rows` new products and, until it answers, probes `/health/live` and one
 * product page that is already in the read cache, one after the other every 20 ms. `cachedPath`
 * must not have been requested before (within the cache's time to live), so that it stays cached
 * for the whole import.
 */
export async function measureDuringImport(
  backend: Backend,
  baseUrl: string,
  staffToken: string,
  cachedPath: string,
  rows = 5_000,
): Promise<DuringImportResult> {
  // The first request puts the page in the read cache, where it stays for its time to live (60 s).
  const warm = await probe(baseUrl + cachedPath);
  if (warm.status !== 200) throw new Error(`GET ${cachedPath} answered ${warm.status}`);
  const started = performance.now();
  let done = false;
  const importing = fetch(`${baseUrl}/api/catalogue/admin/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'text/csv' },
    body: bulkImportCsv(rows, `bench${Date.now().toString(36)}`),
    signal: AbortSignal.timeout(600_000),
  }).then(async (res) => {
    await res.arrayBuffer();
    return res.status;
  });
  void importing.finally(() => (done = true)).catch(() => {});
  const live: number[] = [];
  const cached: number[] = [];
  const sentAt: number[] = [];
  while (!done) {
    const at = (performance.now() - started) / 1000;
    const liveAnswer = await probe(`${baseUrl}/health/live`);
    const readAnswer = await probe(baseUrl + cachedPath);
    if (liveAnswer.status !== 200 || readAnswer.status !== 200)
      throw new Error(`during the import: live ${liveAnswer.status}, cached read ${readAnswer.status}`);
    if (done) break;
    sentAt.push(at);
    live.push(liveAnswer.ms);
    cached.push(readAnswer.ms);
    await sleep(20);
  }
  const importStatus = await importing;
  return {
    backend,
    scenario: 'during-import',
    importRows: rows,
    importSeconds: round((performance.now() - started) / 1000),
    importStatus,
    liveProbes: live.length,
    liveMaxMs: round(Math.max(0, ...live)),
    liveMaxAtS: round(sentAt[live.indexOf(Math.max(...live))] ?? 0),
    liveP99Ms: round(percentile(live, 99)),
    cachedReadProbes: cached.length,
    cachedReadMaxMs: round(Math.max(0, ...cached)),
    cachedReadMaxAtS: round(sentAt[cached.indexOf(Math.max(...cached))] ?? 0),
    cachedReadP99Ms: round(percentile(cached, 99)),
  };
}

/** Whether the targets hold, as a sentence for the report. */
export function duringImportVerdict(r: DuringImportResult): { holds: boolean; text: string } {
  const holds =
    r.importStatus === 200 &&
    r.liveProbes > 0 &&
    r.liveMaxMs <= DURING_IMPORT_TARGETS.liveMaxMs &&
    r.cachedReadMaxMs <= DURING_IMPORT_TARGETS.cachedReadMaxMs;
  return {
    holds,
    text:
      `${r.backend}: import of ${r.importRows} rows took ${r.importSeconds} s (status ${r.importStatus}); ` +
      `/health/live max ${r.liveMaxMs} ms (at ${r.liveMaxAtS} s), p99 ${r.liveP99Ms} ms over ${r.liveProbes} probes (target <= ${DURING_IMPORT_TARGETS.liveMaxMs} ms); ` +
      `cached product read max ${r.cachedReadMaxMs} ms (at ${r.cachedReadMaxAtS} s), p99 ${r.cachedReadP99Ms} ms (target <= ${DURING_IMPORT_TARGETS.cachedReadMaxMs} ms): ${holds ? 'holds' : 'DOES NOT HOLD'}`,
  };
}
