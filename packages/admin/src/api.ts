import type { ApiClient, Problem } from '@shopstack/api-client';

export type { ApiClient };

/** An API answer that was not a success: its status and the problem document the store sent. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
  }

  get code(): string {
    return this.problem.code;
  }
}

function asProblem(body: unknown, status: number): Problem {
  if (body && typeof body === 'object' && 'title' in body) return body as Problem;
  return {
    title: status === 0 ? 'The store could not be reached. Try again.' : `The store answered ${status}.`,
    status,
    code: status === 0 ? 'unreachable' : 'unexpected',
  };
}

/** The data of an openapi-fetch answer; throws ApiProblem for anything but a success. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw new ApiProblem(result.response.status, asProblem(result.error, result.response.status));
}

/** What to tell staff about a failure: the problem's detail and its field errors, or the error's message. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiProblem) {
    const { problem } = error;
    const fields = (problem.errors ?? [])
      .filter((e) => !(problem.detail ?? '').includes(e.message))
      .map((e) => `${e.field}: ${e.message}`);
    return [problem.detail ?? problem.title, ...fields].join(' — ');
  }
  if (error instanceof TypeError)
    return 'The store could not be reached. Check the connection and try again.';
  return error instanceof Error ? error.message : String(error);
}

export interface SentFile {
  status: number;
  body: unknown;
}

/**
 * Sends a file as the request body with XMLHttpRequest, whose upload events report progress (fetch
 * has none); resolves with the status and parsed JSON answer, whatever the status.
 */
export function sendFile(options: {
  url: string;
  file: Blob;
  contentType: string;
  token: string | null;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}): Promise<SentFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', options.url);
    xhr.setRequestHeader('content-type', options.contentType);
    if (options.token) xhr.setRequestHeader('authorization', `Bearer ${options.token}`);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new TypeError('network error'));
    xhr.onabort = () => reject(new DOMException('The upload was stopped.', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(options.file);
  });
}

/** The JSON answer of a sent file, or ApiProblem. */
export function answerOf<T>(sent: SentFile): T {
  if (sent.status >= 200 && sent.status < 300) return sent.body as T;
  throw new ApiProblem(sent.status, asProblem(sent.body, sent.status));
}
