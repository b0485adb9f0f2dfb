import type { ApiErrorBody, Page } from './types';

/** An answer of the API that is not 2xx, with Ferry's `{"error": {code, message, details}}` read out. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: { field: string; reason: string }[];

  constructor(status: number, code: string, message: string, details: { field: string; reason: string }[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The message with each field's reason, as one line for a person. */
  describe(): string {
    if (this.details.length === 0) return this.message;
    return `${this.message}: ${this.details.map((d) => `${d.field} ${d.reason}`).join('; ')}`;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** `?a=1&b=2` without the empty values; '' when nothing is left. */
export function queryString(q: Query | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Called when the API answers 401: the key is wrong or revoked, so the session ends. */
type UnauthorizedListener = () => void;

/**
 * The management API, same origin as the console (the routes the CLI uses, with the key as a
 * bearer token). Every answer is JSON; an error answer becomes an {@link ApiError}.
 */
export class Api {
  private readonly key: string;
  private readonly base: string;
  private readonly onUnauthorized?: UnauthorizedListener;
  private readonly fetchImpl: typeof fetch;

  constructor(key: string, opts: { base?: string; onUnauthorized?: UnauthorizedListener; fetch?: typeof fetch } = {}) {
    this.key = key;
    this.base = opts.base ?? '';
    this.onUnauthorized = opts.onUnauthorized;
    this.fetchImpl = opts.fetch ?? ((input, init) => window.fetch(input, init));
  }

  async request<T>(method: string, path: string, opts: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}`, accept: 'application/json' };
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.base}${path}${queryString(opts.query)}`, {
        method,
        headers,
        body,
        signal: opts.signal,
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError(0, 'network', `The API did not answer (${(e as Error).message}). Is the stack running?`);
    }
    const text = await res.text();
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (!res.ok) {
      const err = (json as ApiErrorBody | undefined)?.error;
      if (res.status === 401) this.onUnauthorized?.();
      throw new ApiError(
        res.status,
        err?.code ?? `http_${res.status}`,
        err?.message ?? `${method} ${path} answered ${res.status}`,
        err?.details ?? [],
      );
    }
    return json as T;
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { query, signal });
  }

  post<T>(path: string, body?: unknown, query?: Query): Promise<T> {
    return this.request<T>('POST', path, { body: body ?? {}, query });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }

  delete<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('DELETE', path, { query });
  }

  page<T>(path: string, query: Query, cursor: string | null, signal?: AbortSignal): Promise<Page<T>> {
    return this.get<Page<T>>(path, { ...query, cursor: cursor ?? undefined }, signal);
  }
}

/** Path segments are ids the API chose; encode them anyway so nothing in one can change the route. */
export function seg(id: string): string {
  return encodeURIComponent(id);
}
