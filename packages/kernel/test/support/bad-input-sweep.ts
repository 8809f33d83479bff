import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { ShopApp } from '../../src/app.js';
import {
  operationsOf,
  urlOf,
  type BadRequest,
  type HttpMethod,
  type OpenApiDocument,
  type Operation,
} from './bad-requests.js';
import { describeEachBackend, type TestBackend } from './index.js';
import { problemFault } from './problem-fault.js';
import { sweepRequests } from './sweep-requests.js';
import { fingerprintTables } from './table-fingerprint.js';

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** The service-specific part of a sweep: which operations, and how their rightful callers address them. */
export interface SweepExamples {
  /** The operations swept: those of the app's OpenAPI document whose path starts with this. */
  pathPrefix: string;
  /** A body each operation that takes one accepts as it is, by "METHOD /path" as documented. */
  validBodies: Record<string, unknown>;
  /**
   * Path parameters naming real rows, so that a request getting past validation would really act.
   * Writes without a body should get rows that do not exist: with nothing to validate, a junk
   * query on a real row would be obeyed, as it may be.
   */
  pathParams(operation: Operation): Record<string, string>;
  /** The headers of the operation's rightful caller: credentials and any header the route reads. */
  headersFor(operation: Operation): Record<string, string>;
  /** Operations ("METHOD /path") that act on any call and declare no query: junk queries would act too. */
  withoutQueryCases?: readonly string[];
  /** Malformed requests of the service's own (forged cursors, CSV files), added to an operation's. */
  extraRequests?(operation: Operation, url: string, headers: Record<string, string>): BadRequest[];
  /** Checks of the answer to a valid body beyond its 2xx status. */
  checkAccepted?(operation: Operation, response: LightMyRequestResponse): void;
  /** Valid requests the document's bodies do not cover (another media type, another caller), checked. */
  moreValidRequests?(): Promise<void>;
}

/** The outcome of a sweep: what was sent and which answers were wrong. */
export interface SweepResult {
  operations: number;
  sent: number;
  /** One line a wrong answer: the request, what is wrong, the start of the body. */
  faults: string[];
  /** The fingerprints of every table of the app before and after (see fingerprintTables). */
  tablesBefore: Record<string, string>;
  tablesAfter: Record<string, string>;
}

/** The swept operations of the app's OpenAPI document. */
export async function sweptOperations(shop: ShopApp, examples: SweepExamples): Promise<Operation[]> {
  const doc = await shop.app.inject({ method: 'GET', url: '/api/openapi.json' });
  assert.equal(doc.statusCode, 200, doc.body);
  return operationsOf(doc.json() as OpenApiDocument).filter((o) => o.path.startsWith(examples.pathPrefix));
}

/**
 * Sends every malformed request derived from the OpenAPI document to every swept operation, and
 * every undeclared method to each of their paths, and judges each answer (see problemFault).
 */
export async function sweepBadInput(shop: ShopApp, examples: SweepExamples): Promise<SweepResult> {
  const operations = await sweptOperations(shop, examples);
  const tablesBefore = await fingerprintTables(shop);
  const faults: string[] = [];
  let sent = 0;
  const run = async (request: BadRequest) => {
    const res = await shop.app.inject({
      method: request.method,
      url: request.url,
      headers: request.headers,
      ...(request.payload === undefined ? {} : { payload: request.payload }),
    });
    sent += 1;
    const fault = problemFault({
      request,
      status: res.statusCode,
      contentType: String(res.headers['content-type'] ?? ''),
      requestId: String(res.headers['x-request-id'] ?? ''),
      body: res.body,
    });
    if (fault)
      faults.push(
        `${request.method} ${request.url.slice(0, 100)} [${request.label}]: ${fault} ${res.body.slice(0, 200)}`,
      );
  };

  for (const operation of operations) {
    const key = `${operation.method} ${operation.path}`;
    const valid = examples.validBodies[key];
    if (operation.spec.requestBody && valid === undefined) throw new Error(`no valid body for ${key}`);
    const params = examples.pathParams(operation);
    const headers = examples.headersFor(operation);
    const requests = sweepRequests(operation, {
      params,
      headers,
      valid,
      bodyLimit: shop.config.server.bodyLimit,
      queryCases: !examples.withoutQueryCases?.includes(key),
    });
    requests.push(...(examples.extraRequests?.(operation, urlOf(operation, params), headers) ?? []));
    for (const request of requests) await run(request);
  }
  // Methods no route of a path answers, with and without credentials.
  for (const path of new Set(operations.map((o) => o.path))) {
    const declared = operations.filter((o) => o.path === path);
    const sample = declared[0]!;
    const url = urlOf(sample, examples.pathParams(sample));
    for (const method of METHODS.filter((m) => !declared.some((o) => o.method === m))) {
      for (const headers of [examples.headersFor(sample), {}])
        await run({ label: 'undeclared method', method, url, headers, expect: 'reject' });
    }
  }
  return {
    operations: operations.length,
    sent,
    faults,
    tablesBefore,
    tablesAfter: await fingerprintTables(shop),
  };
}

/** Sends each valid body the sweep breaks as it is: each must be accepted (2xx). */
export async function sendValidBodies(shop: ShopApp, examples: SweepExamples): Promise<void> {
  for (const operation of (await sweptOperations(shop, examples)).filter((o) => o.spec.requestBody)) {
    const res = await shop.app.inject({
      method: operation.method,
      url: urlOf(operation, examples.pathParams(operation)),
      headers: examples.headersFor(operation),
      payload: examples.validBodies[`${operation.method} ${operation.path}`] as object,
    });
    assert.ok(
      res.statusCode >= 200 && res.statusCode < 300,
      `${operation.method} ${operation.path}: ${res.body}`,
    );
    examples.checkAccepted?.(operation, res);
  }
  await examples.moreValidRequests?.();
}

/** One service's bad-input suite: its app, its seed, and the least it must cover. */
export interface BadInputSuite {
  /** Builds the app on the backend, with the services the swept one needs. */
  build(backend: TestBackend): Promise<ShopApp>;
  /** Seeds the rows the sweep addresses and returns how to address them. */
  prepare(shop: ShopApp): Promise<SweepExamples>;
  /** The fewest operations the document may have under the prefix (a guard against an empty sweep). */
  minOperations: number;
  /** The fewest malformed requests the sweep may send: a floor, so that no change quietly narrows it. */
  minRequests: number;
}

/**
 * Declares, on each backend, the bad-input sweep of one service: every malformed request gets a 4xx
 * problem and changes no table; then each valid body it broke is accepted as it is.
 */
export function describeBadInputSweep(service: string, suite: BadInputSuite): void {
  describeEachBackend(`bad input to every ${service} route`, (backend) => {
    let shop: ShopApp;
    let examples: SweepExamples;
    before(async () => {
      shop = await suite.build(backend);
      examples = await suite.prepare(shop);
    });

    test(`every malformed request to every ${service} route gets a 4xx problem and changes nothing`, async (t) => {
      const result = await sweepBadInput(shop, examples);
      t.diagnostic(`${result.sent} requests to ${result.operations} operations`);
      assert.ok(result.operations >= suite.minOperations, `only ${result.operations} operations documented`);
      assert.deepEqual(
        result.faults.slice(0, 40),
        [],
        `${result.faults.length} of ${result.sent} requests answered wrongly`,
      );
      assert.ok(result.sent >= suite.minRequests, `only ${result.sent} requests sent`);
      assert.deepEqual(result.tablesAfter, result.tablesBefore);
    });

    test('the valid bodies the sweep breaks are accepted as they are, so each refusal was about the broken part', async () => {
      await sendValidBodies(shop, examples);
    });
  });
}
