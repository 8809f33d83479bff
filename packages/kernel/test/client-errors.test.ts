import assert from 'node:assert/strict';
import net from 'node:net';
import { before, test } from 'node:test';
import type { ShopApp } from '../src/app.js';
import { PROBLEM_BASE } from '../src/problem.js';
import { describeEachBackend } from './support/index.js';
import { probePlugin } from './support/probe-plugin.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes as they are on a fresh connection and parses the one response that comes back. */
function rawRequest(port: number, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', (err) => (received ? undefined : reject(err)));
    socket.on('close', () => {
      const split = received.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no complete response: ${JSON.stringify(received)}`));
      const [statusLine, ...lines] = received.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = Buffer.from(received.slice(split + 4), 'latin1').toString('utf8');
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body });
    });
    socket.end(request);
  });
}

/** Asserts a complete problem+json answer whose request id is a fresh UUID shared by header and body. */
function assertProblem(res: RawResponse, status: number): Record<string, unknown> {
  assert.equal(res.status, status, res.body);
  assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
  const problem = JSON.parse(res.body) as Record<string, unknown>;
  assert.equal(problem.status, status);
  assert.ok(String(problem.type).startsWith(PROBLEM_BASE), String(problem.type));
  for (const member of ['title', 'detail', 'code']) assert.equal(typeof problem[member], 'string', member);
  assert.match(res.headers['x-request-id'] ?? '', UUID);
  assert.equal(problem.requestId, res.headers['x-request-id']);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.body));
  return problem;
}

describeEachBackend('requests refused by the HTTP parser', (backend) => {
  let shop: ShopApp;
  let port: number;
  before(async () => {
    shop = await backend.buildApp({ services: [], plugins: [probePlugin()] });
    await shop.app.listen({ host: '127.0.0.1', port: 0 });
    port = (shop.app.server.address() as net.AddressInfo).port;
  });

  test('a well-formed request over a raw socket is answered normally', async () => {
    const res = await rawRequest(port, 'GET /probe/p-1 HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n');
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { id: 'p-1', limit: 10 });
  });

  test('a URL over 16 KB is a 431 problem with a fresh request id', async () => {
    const url = `/probe/p-1?tag=${'a'.repeat(17 * 1024)}`;
    const res = await rawRequest(
      port,
      `GET ${url} HTTP/1.1\r\nHost: shop\r\nX-Request-Id: client-chosen-id\r\n\r\n`,
    );
    const problem = assertProblem(res, 431);
    assert.equal(problem.title, 'Request Header Fields Too Large');
    assert.equal(problem.code, 'header_too_large');
    assert.notEqual(res.headers['x-request-id'], 'client-chosen-id');
  });

  test('a control character in a header is a 400 problem with a fresh request id', async () => {
    const res = await rawRequest(
      port,
      'GET /probe/p-1 HTTP/1.1\r\nHost: shop\r\nX-Request-Id: client-chosen-id\r\nX-Note: bell\x07here\r\n\r\n',
    );
    const problem = assertProblem(res, 400);
    assert.equal(problem.code, 'malformed_request');
    assert.notEqual(res.headers['x-request-id'], 'client-chosen-id');
  });

  test('a request line that is not HTTP is a 400 problem', async () => {
    const res = await rawRequest(port, 'HELLO THERE\r\n\r\n');
    assertProblem(res, 400);
  });

  test('a request that arrives on an open connection while the app closes is a 503 problem', async () => {
    let started!: () => void;
    const slowStarted = new Promise<void>((resolve) => (started = resolve));
    let finish!: () => void;
    const slowFinished = new Promise<void>((resolve) => (finish = resolve));
    const closing = await backend.buildApp({
      services: [],
      plugins: [
        async (app) => {
          app.get(
            '/slow',
            { schema: { operationId: 'probeSlow', summary: 'Answers when the test lets it' } },
            async () => {
              started();
              await slowFinished;
              return { finished: true };
            },
          );
        },
      ],
    });
    await closing.app.listen({ host: '127.0.0.1', port: 0 });
    const socket = net.connect({ port: (closing.app.server.address() as net.AddressInfo).port });
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const ended = new Promise((resolve) => socket.on('close', resolve));
    socket.write('GET /slow HTTP/1.1\r\nHost: shop\r\n\r\n');
    await slowStarted;

    const closed = closing.app.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.write('GET /health/live HTTP/1.1\r\nHost: shop\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    finish();
    await Promise.all([closed, ended]);

    const second = received.slice(received.indexOf('HTTP/1.1', 1));
    const split = second.indexOf('\r\n\r\n');
    const headers = Object.fromEntries(
      second
        .slice(0, split)
        .split('\r\n')
        .slice(1)
        .map((line) => [
          line.slice(0, line.indexOf(':')).toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
    );
    const res: RawResponse = {
      status: Number(second.split(' ')[1]),
      headers,
      body: second.slice(split + 4),
    };
    assert.match(received, /^HTTP\/1.1 200 /, 'the request in flight finishes');
    assert.equal(assertProblem(res, 503).code, 'shutting_down');
  });

  test('every refusal gets its own request id', async () => {
    const [a, b] = await Promise.all([
      rawRequest(port, 'GET / HTTP/1.1\r\nX-Note: \x01\r\n\r\n'),
      rawRequest(port, 'GET / HTTP/1.1\r\nX-Note: \x01\r\n\r\n'),
    ]);
    assert.notEqual(assertProblem(a, 400).requestId, assertProblem(b, 400).requestId);
  });
});
