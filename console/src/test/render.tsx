import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { vi } from 'vitest';
import type { Session } from '../api/session';
import { FlashProvider } from '../components/flash';
import { SessionProvider } from '../components/session-context';

export const ADMIN: Session = { key: 'admin-key', role: 'admin', customerId: null, customerName: null };

/** A fake API: each call is answered by `answer(method, url, body)` as `[status, json]`. */
export function fakeApi(answer: (method: string, url: URL, body: unknown) => [number, unknown]) {
  const calls: { method: string; url: URL; body: unknown; headers: Record<string, string> }[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://console.test');
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const method = init?.method ?? 'GET';
    calls.push({ method, url, body, headers: (init?.headers ?? {}) as Record<string, string> });
    const [status, json] = answer(method, url, body);
    return new Response(json === undefined ? null : JSON.stringify(json), { status, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  window.fetch = fetch as unknown as typeof window.fetch;
  return { fetch, calls };
}

export function renderSignedIn(ui: ReactElement, { path = '/', session = ADMIN }: { path?: string; session?: Session } = {}) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <SessionProvider initial={session}>
        <FlashProvider>{ui}</FlashProvider>
      </SessionProvider>
    </MemoryRouter>,
  );
}
