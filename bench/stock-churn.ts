/** What a background stock writer did while a scenario was measured. */
export interface StockChurnResult {
  /** Writes the staff API confirmed. */
  stockWrites: number;
  /** Writes that failed (any answer but 2xx, or none); each one fails the run. */
  stockWritesFailed: number;
  /** Confirmed writes per second over the time the writer ran. */
  stockWritesPerSec: number;
  /** What went wrong with the first failed write, if any. */
  firstFailure?: string;
}

export interface StockChurn {
  /** Stops sending, waits for the writes under way, and says what was done. */
  stop(): Promise<StockChurnResult>;
}

/**
 * Adjusts stock through the staff API every `intervalMs` until stopped, the way deliveries and
 * sales change it under a busy shop front. The SKUs take turns: each gets one unit added, then
 * the next write takes it away again, so stock ends where it started and never runs out (the SKUs
 * must have stock available, in case the two writes overtake each other).
 */
export function startStockChurn(
  baseUrl: string,
  staffToken: string,
  skus: readonly string[],
  intervalMs = 50,
): StockChurn {
  if (skus.length === 0) throw new Error('the stock writer needs at least one SKU');
  const started = performance.now();
  const underWay = new Set<Promise<void>>();
  let sent = 0;
  let done = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const fail = (reason: string) => {
    failed++;
    firstFailure ??= reason;
  };

  const write = async (sku: string, delta: number) => {
    const url = `${baseUrl}/api/catalogue/admin/stock/${encodeURIComponent(sku)}/adjust`;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ delta }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = await res.text();
      if (res.ok) done++;
      else fail(`${sku} ${delta > 0 ? '+' : ''}${delta} answered ${res.status}: ${body.slice(0, 200)}`);
    } catch (err) {
      fail(`${sku} ${delta > 0 ? '+' : ''}${delta}: ${(err as Error).message}`);
    }
  };

  const timer = setInterval(() => {
    const k = sent++;
    const pending = write(skus[Math.floor(k / 2) % skus.length]!, k % 2 === 0 ? 1 : -1);
    underWay.add(pending);
    void pending.finally(() => underWay.delete(pending));
  }, intervalMs);

  return {
    async stop() {
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      await Promise.all(underWay);
      return {
        stockWrites: done,
        stockWritesFailed: failed,
        stockWritesPerSec: Math.round((done / seconds) * 10) / 10,
        ...(firstFailure === undefined ? {} : { firstFailure }),
      };
    },
  };
}
