import { Api } from './client';
import type { Whoami } from './types';

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
 * Checks a key and finds out what it may see: `GET /whoami` answers 401 for a wrong or revoked
 * key, and otherwise the key's kind and, for a customer key, its customer.
 */
export async function identify(key: string, fetchImpl?: typeof fetch): Promise<Session> {
  const api = new Api(key, { fetch: fetchImpl });
  const me = await api.get<Whoami>('/whoami');
  if (me.kind === 'admin') return { key, role: 'admin', customerId: null, customerName: null };
  return { key, role: 'customer', customerId: me.customerId, customerName: me.customerName };
}
