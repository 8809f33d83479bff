import {
  NOT_JSON,
  PATH_JUNK,
  deeplyNestedBody,
  mutations,
  queryCases,
  urlOf,
  wrongRootBodies,
  type BadRequest,
  type Operation,
} from '@shopstack/kernel/testing';

/*
 * The malformed requests of the shipping sweep, built from the kernel's generators, and what is
 * wrong with an answer to one. Shaped like the catalogue's sweep, without its CSV and cursor cases.
 */

/** Path parameters of every shipping route, naming real rows or (for writes without a body) none. */
export type PathParams = Record<'zoneId' | 'methodId' | 'rateId', string>;

/** Malformed requests to one operation; `valid` is a body the operation accepts as it is. */
export function requestsFor(
  operation: Operation,
  params: PathParams,
  valid: unknown,
  bodyLimit: number,
  staff: Record<string, string>,
): BadRequest[] {
  const requests: BadRequest[] = [];
  const jsonSchema = operation.spec.requestBody?.content['application/json']?.schema;
  const validJson = valid === undefined ? undefined : JSON.stringify(valid);
  const json = { ...staff, 'content-type': 'application/json' };
  const add = (label: string, request: Omit<BadRequest, 'label' | 'method'>) =>
    requests.push({ label, method: operation.method, ...request });

  // Path parameters: each junk value in place of each parameter, with and without the staff token.
  for (const [, name] of operation.path.matchAll(/\{(\w+)\}/g)) {
    for (const junk of PATH_JUNK) {
      for (const headers of [staff, {}]) {
        add(`path ${name}=${junk.slice(0, 20)}`, {
          url: urlOf(operation, { ...params, [name!]: junk }),
          headers: validJson ? { ...headers, 'content-type': 'application/json' } : headers,
          payload: validJson,
          expect: 'reject',
        });
      }
    }
  }
  add('extra path segment', { url: `${urlOf(operation, params)}/extra`, headers: staff, expect: 'reject' });

  // Where a query is declared the body (if any) is valid, so only the query can be at fault.
  const declaresQuery = (operation.spec.parameters ?? []).some((p) => p.in === 'query');
  for (const { query, expect } of queryCases(operation)) {
    const payload = declaresQuery ? validJson : undefined;
    add(`query ${query.slice(0, 40)}`, {
      url: urlOf(operation, params, query),
      headers: payload ? json : staff,
      payload,
      expect,
    });
  }

  if (jsonSchema && validJson !== undefined) {
    const url = urlOf(operation, params);
    const send = (label: string, payload: string | Buffer, contentType = 'application/json') =>
      add(label, { url, headers: { ...staff, 'content-type': contentType }, payload, expect: 'reject' });
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
      send(`field ${m.field} = ${(text ?? 'undefined').slice(0, 40)}`, text ?? '');
    }
    send('JSON as text/plain', validJson, 'text/plain');
    send('JSON as text/csv', validJson, 'text/csv');
    send('JSON as application/jsonx', validJson, 'application/jsonx');
    send('form body', 'name=x&code=y', 'application/x-www-form-urlencoded');
    send(
      'multipart body',
      '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--',
      'multipart/form-data; boundary=b',
    );
    send('junk content type', validJson, 'not a media type');
    add('JSON without a content type', { url, headers: staff, payload: validJson, expect: 'reject' });
  }

  // Staff routes refuse every caller without a valid token before looking at anything else.
  if (operation.staffOnly) {
    const url = urlOf(operation, params);
    for (const authorization of [undefined, 'Bearer wrong-token', 'Bearer ', 'Basic dGVzdDp0ZXN0']) {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      for (const payload of validJson ? [validJson, '{', 'null'] : [undefined]) {
        requests.push({
          label: `no staff token (${authorization?.slice(0, 16) ?? 'none'})`,
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

export interface Outcome {
  request: BadRequest;
  status: number;
  contentType: string;
  requestId: string;
  body: string;
}

/** What is wrong with a response, or null: the status against the expectation, then the problem document. */
export function faultOf({ request, status, contentType, requestId, body }: Outcome): string | null {
  if (status >= 500) return `answered ${status}`;
  if (request.expect === 'reject' && status < 400) return `answered ${status}, not a 4xx`;
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
    return `a ${status} problem without a machine-readable code`;
  if (!requestId || problem.requestId !== requestId) return `a ${status} problem without its request id`;
  return null;
}
