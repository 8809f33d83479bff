import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, test } from 'node:test';
import type { ShopApp } from '@shopstack/kernel';
import {
  describeEachBackend,
  NOT_JSON,
  PATH_JUNK,
  deeplyNestedBody,
  mutations,
  operationsOf,
  queryCases,
  urlOf,
  wrongRootBodies,
  type BadRequest,
  type HttpMethod,
  type OpenApiDocument,
  type Operation,
} from '@shopstack/kernel/testing';
import { usersService } from '../src/index.js';
import { bearer, HOME, PASSWORD, register, staffMember, usersDb } from './helpers.js';

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const TABLES = [
  'users',
  'addresses',
  'sessions',
  'refresh_tokens',
  'signing_keys',
  'login_limits',
  'outbox',
] as const;

/** Row counts and a hash of every row of every users table: equal fingerprints mean nothing changed. */
async function fingerprint(shop: ShopApp): Promise<Record<string, string>> {
  const db = usersDb(shop);
  const result: Record<string, string> = {};
  for (const table of TABLES) {
    const rows = await db
      .selectFrom(table as 'users')
      .selectAll()
      .execute();
    const lines = rows.map((row) => JSON.stringify(row)).sort();
    result[table] = `${lines.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
  }
  return result;
}

interface Seeded {
  customerId: string;
  email: string;
  refreshToken: string;
  addressId: string;
  customer: Record<string, string>;
  /** A second customer, whose password the password route may change. */
  passwordChanger: Record<string, string>;
  admin: Record<string, string>;
  /** The token of a deleted account: writes that take no body get it, so they act on nothing. */
  ghost: Record<string, string>;
}

async function seed(shop: ShopApp): Promise<Seeded> {
  const customer = await register(shop);
  const address = await shop.app.inject({
    method: 'POST',
    url: '/api/users/me/addresses',
    headers: bearer(customer.accessToken),
    payload: HOME,
  });
  assert.equal(address.statusCode, 201, address.body);
  const changer = await register(shop);
  const admin = await staffMember(shop, 'admin');
  const ghost = await register(shop);
  const gone = await shop.app.inject({
    method: 'DELETE',
    url: '/api/users/me',
    headers: bearer(ghost.accessToken),
  });
  assert.equal(gone.statusCode, 204);
  return {
    customerId: customer.user.id,
    email: customer.email,
    refreshToken: customer.refreshToken,
    addressId: address.json().id,
    customer: bearer(customer.accessToken),
    passwordChanger: bearer(changer.accessToken),
    admin: bearer(admin.accessToken),
    ghost: bearer(ghost.accessToken),
  };
}

/** A valid body for every operation that takes one: the mutations start from it, one broken field at a time. */
function validBodies(s: Seeded): Record<string, unknown> {
  return {
    'POST /api/users/register': {
      email: 'sweep-new@example.com',
      password: PASSWORD,
      name: 'Sweep',
      phone: '+1 555 0100',
    },
    'POST /api/users/login': { email: s.email, password: PASSWORD },
    'POST /api/users/refresh': { refreshToken: s.refreshToken },
    // An unknown token: logging out with it ends nothing, as the sweep requires.
    'POST /api/users/logout': { refreshToken: 'x'.repeat(43) },
    'PATCH /api/users/me': { name: 'Sweep Renamed', phone: '+1 555 0101' },
    'POST /api/users/me/password': { currentPassword: PASSWORD, newPassword: 'another sweep password' },
    'POST /api/users/me/addresses': {
      ...HOME,
      line2: 'Flat 2',
      region: 'Greater London',
      phone: '+44 20 7946 0001',
      isDefault: false,
    },
    'PATCH /api/users/me/addresses/{id}': {
      ...HOME,
      city: 'Bath',
      line2: null,
      region: null,
      phone: null,
      isDefault: true,
    },
    'POST /api/users/staff': {
      email: 'sweep-staff@example.com',
      name: 'Sweep Staff',
      role: 'staff',
      password: 'sweep staff password',
    },
  };
}

/** The credentials each operation is swept with: its rightful caller, or for bodyless writes nobody that exists. */
function headersFor(operation: Operation, s: Seeded): Record<string, string> {
  if (operation.path.endsWith('/staff') || operation.path.includes('/customers/')) return s.admin;
  if (operation.path.endsWith('/me/password')) return s.passwordChanger;
  if (operation.method === 'DELETE' && operation.path === '/api/users/me') return s.ghost;
  return s.customer;
}

/** Path parameters that name real rows, except for writes without a body (which would really act). */
function pathParams(operation: Operation, s: Seeded): Record<string, string> {
  const acts = operation.method !== 'GET' && !operation.spec.requestBody;
  const id = operation.path.includes('/customers/') ? s.customerId : s.addressId;
  return { id: acts ? 'missing-id' : id };
}

function requestsFor(
  operation: Operation,
  s: Seeded,
  bodies: Record<string, unknown>,
  bodyLimit: number,
): BadRequest[] {
  const key = `${operation.method} ${operation.path}`;
  const requests: BadRequest[] = [];
  const params = pathParams(operation, s);
  const auth = headersFor(operation, s);
  const jsonSchema = operation.spec.requestBody?.content['application/json']?.schema;
  const valid = bodies[key];
  if (operation.spec.requestBody && valid === undefined) throw new Error(`no valid body for ${key}`);
  const validJson = valid === undefined ? undefined : JSON.stringify(valid);
  const json = { ...auth, 'content-type': 'application/json' };
  const add = (label: string, request: Omit<BadRequest, 'label' | 'method'>) =>
    requests.push({ label, method: operation.method, ...request });

  const names = [...operation.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  for (const name of names) {
    for (const junk of PATH_JUNK) {
      const url = urlOf(operation, { ...params, [name]: junk });
      for (const headers of [auth, {}]) {
        add(`path ${name}=${junk.slice(0, 20)}`, {
          url,
          headers: validJson ? { ...headers, 'content-type': 'application/json' } : headers,
          payload: validJson,
          expect: 'reject',
        });
      }
    }
  }
  add('extra path segment', { url: `${urlOf(operation, params)}/extra`, headers: auth, expect: 'reject' });

  const declaresQuery = (operation.spec.parameters ?? []).some((p) => p.in === 'query');
  for (const { query, expect } of queryCases(operation)) {
    const payload = declaresQuery ? validJson : undefined;
    add(`query ${query.slice(0, 40)}`, {
      url: urlOf(operation, params, query),
      headers: payload ? json : auth,
      payload,
      expect,
    });
  }

  if (jsonSchema && valid !== undefined && validJson !== undefined) {
    const url = urlOf(operation, params);
    const send = (label: string, payload: string | Buffer, contentType = 'application/json') =>
      add(label, { url, headers: { ...auth, 'content-type': contentType }, payload, expect: 'reject' });
    send('empty JSON body', '');
    const quote = validJson.indexOf('":"') + 3;
    if (quote > 2) {
      send(
        'JSON with a byte that is not UTF-8',
        Buffer.concat([
          Buffer.from(validJson.slice(0, quote)),
          Buffer.from([0xff]),
          Buffer.from(validJson.slice(quote)),
        ]),
      );
    }
    for (const text of NOT_JSON) send(`not JSON ${JSON.stringify(text).slice(0, 30)}`, text);
    for (const text of wrongRootBodies(jsonSchema)) send(`wrong root type ${text}`, text);
    send('deeply nested junk', deeplyNestedBody(5000));
    send('over the body limit', `{"junk":"${'x'.repeat(bodyLimit)}"}`);
    for (const m of mutations(jsonSchema, valid)) {
      const text = JSON.stringify(m.value);
      send(`field ${m.field} = ${(text ?? 'undefined').slice(0, 40)}`, text);
    }
    const props = jsonSchema.properties ?? {};
    const field = Object.entries(props).find(
      ([, p]) => p.type === 'string' && p.maxLength !== undefined,
    )?.[0];
    if (field && typeof valid === 'object') {
      send(
        `huge ${field}`,
        JSON.stringify({ ...valid, [field]: 'x'.repeat(bodyLimit - validJson.length - 100) }),
      );
    }
    send('JSON as text/plain', validJson, 'text/plain');
    send('JSON as text/csv', validJson, 'text/csv');
    send('JSON as application/jsonx', validJson, 'application/jsonx');
    send('form body', 'email=x&password=y', 'application/x-www-form-urlencoded');
    send(
      'multipart body',
      '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--',
      'multipart/form-data; boundary=b',
    );
    send('junk content type', validJson, 'not a media type');
    add('JSON without a content type', { url, headers: auth, payload: validJson, expect: 'reject' });
  }

  // Secured routes refuse every caller without a valid token before looking at anything else.
  if (operation.staffOnly) {
    const url = urlOf(operation, params);
    for (const authorization of [
      undefined,
      'Bearer wrong-token',
      'Bearer ',
      'Basic dGVzdDp0ZXN0',
      `Bearer ${'x'.repeat(8000)}`,
    ]) {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      for (const payload of validJson ? [validJson, '{', 'null'] : [undefined]) {
        requests.push({
          label: `no token (${authorization?.slice(0, 16) ?? 'none'})`,
          method: operation.method,
          url,
          headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
          payload,
          expect: 'reject',
          status: 401,
        });
      }
    }
  }
  return requests;
}

/** What is wrong with a response, or null: the status against the expectation, then the problem document. */
function faultOf(
  request: BadRequest,
  status: number,
  contentType: string,
  requestId: string,
  body: string,
): string | null {
  if (status >= 500) return `answered ${status}`;
  if (request.expect === 'reject' && (status < 400 || status >= 500)) return `answered ${status}, not a 4xx`;
  if (request.status !== undefined && status !== request.status)
    return `answered ${status}, not ${request.status}`;
  if (status < 400) return null;
  if (!/^application\/problem\+json/.test(contentType)) return `a ${status} with content type ${contentType}`;
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return `a ${status} whose body is not JSON`;
  }
  for (const member of ['type', 'title', 'detail'] as const) {
    if (typeof problem[member] !== 'string' || !(problem[member] as string).length)
      return `a ${status} problem without ${member}`;
  }
  if (problem.status !== status) return `a ${status} problem saying status ${String(problem.status)}`;
  if (typeof problem.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(problem.code))
    return `a ${status} problem without a code`;
  if (!requestId || problem.requestId !== requestId) return `a ${status} problem without its request id`;
  if (String(problem.type).endsWith('/validation') && typeof problem.field !== 'string')
    return 'a validation problem without field';
  return null;
}

describeEachBackend('bad input to every users route', (backend) => {
  let shop: ShopApp;
  let seeded: Seeded;
  before(async () => {
    shop = await backend.buildApp({ services: [usersService] });
    seeded = await seed(shop);
  });

  async function operations(): Promise<Operation[]> {
    const doc = await shop.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(doc.statusCode, 200);
    return operationsOf(doc.json() as OpenApiDocument).filter((o) => o.path.startsWith('/api/users/'));
  }

  test('every malformed request to every users route gets a 4xx problem and changes nothing', async () => {
    const ops = await operations();
    assert.ok(ops.length >= 17, `only ${ops.length} operations documented`);
    const bodies = validBodies(seeded);
    const before = await fingerprint(shop);
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
      const fault = faultOf(
        request,
        res.statusCode,
        String(res.headers['content-type'] ?? ''),
        String(res.headers['x-request-id'] ?? ''),
        res.body,
      );
      if (fault)
        faults.push(
          `${request.method} ${request.url.slice(0, 100)} [${request.label}]: ${fault} ${res.body.slice(0, 200)}`,
        );
    };
    for (const operation of ops) {
      for (const request of requestsFor(operation, seeded, bodies, shop.config.server.bodyLimit))
        await run(request);
    }
    for (const path of new Set(ops.map((o) => o.path))) {
      const declared = ops.filter((o) => o.path === path);
      const sample = declared[0]!;
      const url = urlOf(sample, pathParams(sample, seeded));
      for (const method of METHODS.filter((m) => !declared.some((o) => o.method === m))) {
        await run({
          label: 'undeclared method',
          method,
          url,
          headers: headersFor(sample, seeded),
          expect: 'reject',
        });
      }
    }
    assert.deepEqual(faults.slice(0, 40), [], `${faults.length} of ${sent} requests answered wrongly`);
    assert.ok(sent > 1000, `only ${sent} requests sent`);
    assert.deepEqual(await fingerprint(shop), before);
  });

  test('the valid bodies the sweep breaks are accepted as they are, so each refusal was about the broken part', async () => {
    const bodies = validBodies(seeded);
    for (const operation of (await operations()).filter((o) => o.spec.requestBody)) {
      const res = await shop.app.inject({
        method: operation.method,
        url: urlOf(operation, pathParams(operation, seeded)),
        headers: headersFor(operation, seeded),
        payload: bodies[`${operation.method} ${operation.path}`] as object,
      });
      assert.ok(
        res.statusCode >= 200 && res.statusCode < 300,
        `${operation.method} ${operation.path}: ${res.body}`,
      );
    }
  });
});
