import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../src/logger.js';

/** A logger writing JSON lines into memory, so a test can read exactly what would reach the log. */
function capturedLogger(level = 'info') {
  const lines: string[] = [];
  const logger = createLogger(
    { log: { level: level as 'info' }, store: { id: 'corner-shop', name: 'Corner Shop', currency: 'EUR' } },
    { write: (line: string) => void lines.push(line) },
  );
  return { logger, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

test('authorization headers, passwords and tokens are redacted from log lines', () => {
  const { logger, entries } = capturedLogger();
  logger.info(
    {
      req: {
        method: 'POST',
        headers: { authorization: 'Bearer s3cr3t-staff', cookie: 'sid=abc', host: 'shop.test' },
      },
      password: 'hunter2',
      token: 'tok-123',
      user: { email: 'ann@example.com', password: 'hunter3', refreshToken: 'rt-456' },
      config: { auth: { adminToken: 'admin-789' } },
    },
    'signed in',
  );
  const [entry] = entries();
  const text = JSON.stringify(entry);
  for (const secret of ['s3cr3t-staff', 'sid=abc', 'hunter2', 'hunter3', 'tok-123', 'rt-456', 'admin-789']) {
    assert.ok(!text.includes(secret), `${secret} must not be logged`);
  }
  const req = entry!.req as { headers: Record<string, string>; method: string };
  assert.equal(req.headers.authorization, '[redacted]');
  assert.equal(req.headers.cookie, '[redacted]');
  assert.equal(req.headers.host, 'shop.test', 'harmless headers stay');
  assert.equal(entry!.password, '[redacted]');
  assert.equal(entry!.token, '[redacted]');
  const user = entry!.user as Record<string, string>;
  assert.equal(user.password, '[redacted]');
  assert.equal(user.refreshToken, '[redacted]');
  assert.equal(user.email, 'ann@example.com');
  assert.equal((entry!.config as { auth: unknown }).auth, '[redacted]');
});

test('log lines are JSON carrying the store id, message and an ISO time', () => {
  const { logger, entries } = capturedLogger();
  logger.child({ requestId: 'req-1' }).warn({ sku: 'SHOE-1' }, 'stock low');
  const [entry] = entries();
  assert.equal(entry!.store, 'corner-shop');
  assert.equal(entry!.requestId, 'req-1');
  assert.equal(entry!.msg, 'stock low');
  assert.equal(entry!.sku, 'SHOE-1');
  assert.ok(!Number.isNaN(Date.parse(String(entry!.time))));
});

test('the configured level filters lower levels out', () => {
  const { logger, entries } = capturedLogger('warn');
  logger.info('routine');
  logger.error('broken');
  assert.deepEqual(
    entries().map((e) => e.msg),
    ['broken'],
  );
});
