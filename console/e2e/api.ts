/** The management API as the tests' set-up and checks use it (the console itself is what is tested). */
export class TestApi {
  constructor(readonly base: string, readonly key: string) {}

  async call<T = any>(method: string, path: string, body?: unknown, expected?: number): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (expected !== undefined ? res.status !== expected : !res.ok) {
      throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T = any>(path: string) {
    return this.call<T>('GET', path);
  }

  post<T = any>(path: string, body: unknown = {}) {
    return this.call<T>('POST', path, body);
  }

  /** Polls `fn` until it returns a value (not undefined) or the deadline passes. */
  async until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const v = await fn();
        if (v !== undefined) return v;
      } catch (e) {
        last = e;
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
    throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
  }

  /** Every execution of an instance once `count` of them have ended. */
  async ended(instanceId: string, count: number): Promise<any[]> {
    return this.until(`${count} ended executions of ${instanceId}`, async () => {
      const page = await this.get(`/executions?instanceId=${instanceId}&limit=100`);
      const ended = page.items.filter((e: any) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(e.status));
      return ended.length >= count ? page.items : undefined;
    });
  }
}

/** Sends a webhook as a sender would. */
export async function sendWebhook(url: string, body: unknown, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${text}`);
  return JSON.parse(text).executionId as string;
}
