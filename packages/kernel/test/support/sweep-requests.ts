import {
  NOT_JSON,
  PATH_JUNK,
  deeplyNestedBody,
  mutations,
  queryCases,
  urlOf,
  wrongRootBodies,
  type BadRequest,
  type JsonSchema,
  type Operation,
} from './bad-requests.js';

/** What the sweep knows of one operation besides its document: how its rightful caller addresses it. */
export interface OperationExample {
  /** Path parameters naming real rows (or, for writes without a body, rows that do not exist). */
  params: Record<string, string>;
  /** The headers of the operation's rightful caller: credentials and any header the route reads. */
  headers: Record<string, string>;
  /** A body the operation accepts as it is; undefined where it takes none. */
  valid: unknown;
  bodyLimit: number;
  /** False where a junk query string would make the operation act (it declares no query to refuse). */
  queryCases: boolean;
}

/** Fields no body may set, whatever the route (the server owns them): refused where not declared. */
const SERVER_OWNED = [
  'price',
  'unitPrice',
  'total',
  'totals',
  'status',
  'used',
  'customerId',
  'role',
  'storeId',
];

/** Values of a header parameter (all of them legal in an HTTP header), kept where its schema refuses them. */
const HEADER_JUNK = ['short', '!'.repeat(43), 'x'.repeat(1000), '%00', 'null'];

const BAD_AUTHORIZATIONS = [
  undefined,
  'Bearer wrong-token',
  'Bearer ',
  'Basic dGVzdDp0ZXN0',
  `Bearer ${'x'.repeat(8000)}`,
];

/** The valid body's top-level fields of plain values as a form: the right fields under the wrong media type. */
function formOf(valid: unknown): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(valid && typeof valid === 'object' ? valid : {})) {
    if (['string', 'number', 'boolean'].includes(typeof value)) form.append(key, String(value));
  }
  return form.toString() || 'name=x&sku=y';
}

function refuses(schema: JsonSchema, value: string): boolean {
  if (schema.enum) return !schema.enum.includes(value);
  if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) return true;
  if (schema.minLength !== undefined && value.length < schema.minLength) return true;
  return schema.maxLength !== undefined && value.length > schema.maxLength;
}

/**
 * The malformed requests of one operation: junk path parameters (with and without credentials), an
 * extra path segment, junk header parameters and query strings, junk bodies (not JSON, wrong types,
 * one broken field at a time, server-owned fields, wrong media types) and, on secured routes,
 * every kind of missing or wrong credentials.
 */
export function sweepRequests(operation: Operation, example: OperationExample): BadRequest[] {
  const { params, headers: caller, valid, bodyLimit } = example;
  const requests: BadRequest[] = [];
  const jsonSchema = operation.spec.requestBody?.content['application/json']?.schema;
  const validJson = valid === undefined ? undefined : JSON.stringify(valid);
  const json = { ...caller, 'content-type': 'application/json' };
  const url = urlOf(operation, params);
  const add = (label: string, request: Omit<BadRequest, 'label' | 'method'>) =>
    requests.push({ label, method: operation.method, ...request });

  // Path parameters: each junk value in place of each parameter, with and without credentials.
  for (const [, name] of operation.path.matchAll(/\{(\w+)\}/g)) {
    for (const junk of PATH_JUNK) {
      for (const headers of [caller, {}]) {
        add(`path ${name}=${junk.slice(0, 20)}`, {
          url: urlOf(operation, { ...params, [name!]: junk }),
          headers: validJson ? { ...headers, 'content-type': 'application/json' } : headers,
          payload: validJson,
          expect: 'reject',
        });
      }
    }
  }
  add('extra path segment', { url: `${url}/extra`, headers: caller, expect: 'reject' });

  // Header parameters the route reads (a cart's token), with values their schema refuses.
  for (const { name, schema } of (operation.spec.parameters ?? []).filter((p) => p.in === 'header')) {
    for (const junk of HEADER_JUNK.filter((value) => refuses(schema, value))) {
      add(`header ${name}: ${junk.slice(0, 20)}`, {
        url,
        headers: { ...(validJson ? json : caller), [name.toLowerCase()]: junk },
        payload: validJson,
        expect: 'reject',
      });
    }
  }

  // Where a query is declared the body (if any) is valid, so only the query can be at fault; a
  // route that declares none ignores the query, so it gets no body to act on.
  const declaresQuery = (operation.spec.parameters ?? []).some((p) => p.in === 'query');
  for (const { query, expect } of example.queryCases ? queryCases(operation) : []) {
    const payload = declaresQuery ? validJson : undefined;
    add(`query ${query.slice(0, 40)}`, {
      url: urlOf(operation, params, query),
      headers: payload ? json : caller,
      payload,
      expect,
    });
  }

  if (jsonSchema && validJson !== undefined) {
    const send = (label: string, payload: string | Buffer, contentType = 'application/json') =>
      add(label, { url, headers: { ...caller, 'content-type': contentType }, payload, expect: 'reject' });
    send('empty JSON body', '');
    // The valid body with one byte that is no UTF-8 inside its first string: never stored as U+FFFD.
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
      const text = JSON.stringify(m.value) ?? '';
      send(`field ${m.field} = ${text.slice(0, 40)}`, text);
    }
    const props = jsonSchema.properties ?? jsonSchema.anyOf?.find((s) => s.properties)?.properties ?? {};
    if (valid && typeof valid === 'object' && !Array.isArray(valid)) {
      for (const field of SERVER_OWNED.filter((f) => !(f in props)))
        send(`server-owned ${field}`, JSON.stringify({ ...valid, [field]: 0 }));
      // A string as long as the body limit allows, in the first field that takes a bounded string.
      const field = Object.entries(props).find(
        ([, p]) => p.type === 'string' && p.maxLength !== undefined,
      )?.[0];
      if (field) {
        const huge = 'x'.repeat(bodyLimit - validJson.length - 100);
        send(`huge ${field}`, JSON.stringify({ ...valid, [field]: huge }));
      }
    }
    // The right document under the wrong media type, and media types no route reads.
    send('JSON as text/plain', validJson, 'text/plain');
    send('JSON as text/csv', validJson, 'text/csv');
    send('JSON as application/jsonx', validJson, 'application/jsonx');
    send('JSON as application/json-patch+json', validJson, 'application/json-patch+json');
    send('form body', formOf(valid), 'application/x-www-form-urlencoded');
    send(
      'multipart body',
      '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--',
      'multipart/form-data; boundary=b',
    );
    send('XML body', '<product><name>x</name></product>', 'application/xml');
    send('junk content type', validJson, 'not a media type');
    add('JSON without a content type', { url, headers: caller, payload: validJson, expect: 'reject' });
  }

  // Secured routes refuse every caller without valid credentials before looking at anything else.
  if (operation.staffOnly) {
    for (const authorization of BAD_AUTHORIZATIONS) {
      const headers: Record<string, string> = authorization ? { authorization } : {};
      for (const payload of validJson ? [validJson, '{', 'null'] : [undefined]) {
        add(`no valid token (${authorization?.slice(0, 16) ?? 'none'})`, {
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
