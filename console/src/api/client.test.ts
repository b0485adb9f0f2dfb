import { afterEach, describe, expect, it, vi } from 'vitest';
import { Api, ApiError, queryString } from './client';
import { identify, loadSession, saveSession } from './session';

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
  localStorage.clear();
});

function respond(status: number, body: unknown) {
  return new Response(body === undefined ? null : JSON.stringify(body), { status });
}

describe('Api', () => {
  it('sends the key as a bearer token, no cookies, and only the query values that are set', async () => {
    const fetch = vi.fn(async () => respond(200, { items: [], nextCursor: null }));
    const api = new Api('k1', { fetch });
    await api.page('/executions', { instanceId: 'ins_1', status: undefined, originalsOnly: false, unresolved: true }, 'c/2');
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/executions?instanceId=ins_1&unresolved=true&cursor=c%2F2');
    expect(init.headers).toMatchObject({ authorization: 'Bearer k1' });
    expect(init.credentials).toBe('omit');
  });

  it('turns Ferry\u2019s error answer into an ApiError with its details', async () => {
    const api = new Api('k', { fetch: async () => respond(400, { error: { code: 'validation', message: 'invalid request', details: [{ field: 'confirm', reason: 'must equal the instance name' }] } }) });
    const e = (await api.get('/x').catch((x) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(400);
    expect(e.describe()).toBe('invalid request: confirm must equal the instance name');
  });

  it('ends the session on 401', async () => {
    const onUnauthorized = vi.fn();
    const api = new Api('k', { fetch: async () => respond(401, { error: { code: 'unauthorized', message: 'invalid API key' } }), onUnauthorized });
    await expect(api.get('/instances')).rejects.toThrow('invalid API key');
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('says when the API does not answer at all', async () => {
    const api = new Api('k', { fetch: async () => { throw new TypeError('Failed to fetch'); } });
    await expect(api.get('/instances')).rejects.toThrow(/did not answer/);
  });

  it('queryString', () => {
    expect(queryString({ a: '', b: null, c: 0, d: 'x y' })).toBe('?c=0&d=x+y');
    expect(queryString({})).toBe('');
  });
});

describe('identify', () => {
  it('an admin key: GET /whoami says so, and nothing else is read', async () => {
    const fetch = vi.fn(async (_url: string) => respond(200, { kind: 'admin', customerId: null, customerName: null, keyId: null, keyName: 'admin', keyPrefix: 'adm…' }));
    expect(await identify('adm', fetch as unknown as typeof window.fetch)).toEqual({ key: 'adm', role: 'admin', customerId: null, customerName: null });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(String(fetch.mock.calls[0][0])).toBe('/whoami');
  });

  it('a customer key: its customer from GET /whoami', async () => {
    const fetch = vi.fn(async () => respond(200, { kind: 'customer', customerId: 'cus_1', customerName: 'Globex', keyId: 'key_1', keyName: 'portal', keyPrefix: 'fry_abcd…' }));
    expect(await identify('fry_x', fetch as unknown as typeof window.fetch)).toEqual({ key: 'fry_x', role: 'customer', customerId: 'cus_1', customerName: 'Globex' });
  });

  it('a wrong key is refused', async () => {
    const fetch = vi.fn(async () => respond(401, { error: { message: 'invalid API key' } }));
    await expect(identify('nope', fetch as unknown as typeof window.fetch)).rejects.toThrow('invalid API key');
  });

  it('the session is kept in session storage, never in local storage', () => {
    saveSession({ key: 'secret-key', role: 'admin', customerId: null, customerName: null });
    expect(sessionStorage.getItem('ferry.console.session')).toContain('secret-key');
    expect(localStorage.length).toBe(0);
    expect(loadSession()?.key).toBe('secret-key');
  });
});
