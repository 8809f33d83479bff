import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { operations, paths } from './schema.js';

export type { operations, paths };
export type ApiClient = Client<paths>;

/** The JSON body of an operation's answer with the given status. */
export type ResponseOf<Op extends keyof operations, Status extends number = 200> =
  operations[Op]['responses'] extends Record<Status, { content: { 'application/json': infer Body } }>
    ? Body
    : never;

/** The JSON body an operation takes. */
export type BodyOf<Op extends keyof operations> = operations[Op] extends {
  requestBody: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

/** A problem answer (4xx/5xx) as every route sends it: a stable code and a message for people. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  field?: string;
  errors?: Array<{ field: string; message: string }>;
}

export interface ApiClientOptions {
  /** Origin of the store, e.g. http://127.0.0.1:3000; '' in a browser on the store's own origin. */
  baseUrl: string;
  /** The fetch to use (a server renderer passes one that answers in-process). */
  fetch?: typeof globalThis.fetch;
  /** The signed-in person's access token, if any, sent as a Bearer token. */
  accessToken?: () => string | null | undefined | Promise<string | null | undefined>;
}

/** A typed client of the store's HTTP API: paths, parameters, bodies and answers come from its OpenAPI document. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  if (options.accessToken) {
    const getToken = options.accessToken;
    const auth: Middleware = {
      async onRequest({ request }) {
        const token = await getToken();
        if (token && !request.headers.has('authorization'))
          request.headers.set('authorization', `Bearer ${token}`);
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}

/** The problem an API call answered with, or a generic one when the answer was not a problem document. */
export function problemOf(error: unknown, status = 0): Problem {
  if (error && typeof error === 'object' && 'code' in error && 'title' in error) return error as Problem;
  return { title: 'The shop could not be reached. Please try again.', status, code: 'unreachable' };
}
