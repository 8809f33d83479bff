import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { get, startFixture, type HttpResult, type RunningProcess } from './cli-process.js';

const running: RunningProcess[] = [];
after(async () => {
  for (const child of running) await child.kill();
});

type Probe = { at: number; status: number } | { at: number; error: string };

test('SIGTERM drains: readiness fails, in-flight requests finish, new connections are refused, exit code 0', async () => {
  const server = startFixture('slow-server.ts', {
    PORT: '0',
    SHOPSTACK_DRAIN_DELAY_MS: '500',
    SLOW_MS: '1500',
    SHOPSTACK_ADMIN_TOKEN: 'shutdown-test-token',
  });
  running.push(server);
  const [, url] = await server.waitFor(/^listening on (http:\/\/\S+)$/m);
  assert.equal((await get(`${url}/health/ready`)).status, 200);

  const slow = get(`${url}/slow`).then((result): HttpResult & { at: number } => ({
    ...result,
    at: Date.now(),
  }));
  await server.waitFor(/slow request started/);
  const signalledAt = Date.now();
  server.signal('SIGTERM');

  // Probe readiness on fresh connections until the slow request has its answer.
  const probes: Probe[] = [];
  let done = false;
  void slow.finally(() => (done = true));
  while (!done) {
    try {
      const res = await get(`${url}/health/ready`);
      probes.push({ at: Date.now(), status: res.status });
    } catch (err) {
      probes.push({ at: Date.now(), error: (err as NodeJS.ErrnoException).code ?? String(err) });
    }
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  const answer = await slow;

  assert.equal(answer.status, 200, 'the in-flight request completes');
  assert.deepEqual(JSON.parse(answer.body), { finished: true });
  assert.ok(answer.at - signalledAt >= 500, 'it finished after the signal');

  const draining = probes.filter((p) => 'status' in p && p.status === 503);
  const refused = probes.filter((p) => 'error' in p && p.error === 'ECONNREFUSED');
  assert.ok(draining.length > 0, `readiness fails while draining: ${JSON.stringify(probes)}`);
  assert.ok(refused.length > 0, `new connections are refused once closed: ${JSON.stringify(probes)}`);
  assert.ok(draining[0]!.at < refused[0]!.at, 'first readiness fails, then the listener closes');
  const afterFirstFailure = probes.slice(probes.indexOf(draining[0]!));
  assert.ok(
    afterFirstFailure.every((p) => !('status' in p) || p.status === 503),
    'once readiness fails it never reports ready again',
  );
  assert.ok(
    probes.slice(probes.indexOf(refused[0]!)).every((p) => 'error' in p),
    'once closed, the listener accepts nothing',
  );

  assert.equal(await server.exited, 0);
});
