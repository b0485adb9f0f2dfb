import { Api, ApiError } from './client';
import type { Customer, Page } from './types';

/**
 * Who is signed in. The key lives in sessionStorage only (this tab, until it closes): never in
 * localStorage, a cookie or the URL.
 */
export interface Session {
  key: string;
  role: 'admin' | 'customer';
  /** The key's customer, for a customer key. */
  customerId: string | null;
  customerName: string | null;
}

const STORAGE_KEY = 'ferry.console.session';

export function loadSession(storage: Storage = window.sessionStorage): Session | null {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return typeof s.key === 'string' && (s.role === 'admin' || s.role === 'customer') ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session, storage: Storage = window.sessionStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(s));
}

export function clearSession(storage: Storage = window.sessionStorage): void {
  storage.removeItem(STORAGE_KEY);
}

/**
 * Checks a key and finds out what it may see. The API has no "who am I" route yet, so:
 * `GET /customers` authenticates it (401 for a wrong or revoked key) and, for a customer key,
 * lists exactly its own customer; `GET /dead-letters` with a queue name no queue has is refused
 * with 403 for a customer key (tenancy is checked before the input) and with 400 for an admin key
 * (the input check) — nothing is read or changed either way.
 */
export async function identify(key: string, fetchImpl?: typeof fetch): Promise<Session> {
  const api = new Api(key, { fetch: fetchImpl });
  const customers = await api.get<Page<Customer>>('/customers', { limit: 2 });
  let role: Session['role'];
  try {
    await api.get('/dead-letters', { queue: '-', limit: 1 });
    role = 'admin';
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 403) role = 'customer';
    else if (e.status === 400) role = 'admin';
    else throw e;
  }
  if (role === 'admin') return { key, role, customerId: null, customerName: null };
  const own = customers.items[0];
  return { key, role, customerId: own?.id ?? null, customerName: own?.name ?? null };
}
