import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { PROBLEM_BASE, problemDocument, problemHeaders, titleFor, type Problem } from './problem.js';

/** What Node's HTTP parser refused, by its error code: status, problem slug and a sentence for the client. */
const PARSE_ERRORS: Record<string, [status: number, slug: string, detail: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'header-too-large', 'The request line and headers together exceed 16 KB.'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [
    413,
    'content-too-large',
    'The chunk extensions of the body are too large.',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request-timeout', 'The request was not received in time.'],
};
const MALFORMED: [number, string, string] = [
  400,
  'malformed-request',
  'The request is not valid HTTP/1.1 (such as a control character in a header).',
];

function problemOfParseError(code: string | undefined): Problem {
  const [status, slug, detail] = (code && PARSE_ERRORS[code]) || MALFORMED;
  return { type: PROBLEM_BASE + slug, title: titleFor(status), status, detail };
}

/**
 * Answers a request that Node's HTTP parser refused before Fastify saw it (a URL or headers over the
 * limit, a control character in a header, a timeout) with a problem+json document, then closes the
 * connection. The request's own x-request-id cannot be read, so the answer carries a fresh one.
 */
export function clientErrorHandler(log: FastifyBaseLogger) {
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    // A reset connection, or one already closed, has nobody left to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const problem = problemOfParseError(err.code);
    const requestId = randomUUID();
    log.debug({ err, requestId, statusCode: problem.status }, 'malformed request refused');
    // Writing is safe only while no response of an earlier request on this connection is under way.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const body = JSON.stringify(problemDocument(problem, requestId));
      const headers: Record<string, string | number> = {
        'content-type': 'application/problem+json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        'x-request-id': requestId,
        ...problemHeaders(problem.status),
        connection: 'close',
      };
      const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
      socket.write(
        `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n${head.join('')}\r\n${body}`,
      );
    }
    socket.destroy(err);
  };
}
