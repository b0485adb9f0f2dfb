import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Query } from '../api/client';
import type { Page } from '../api/types';
import { useApi } from './session-context';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `load` when `deps` change (and on reload), keeping the last answer while the next one
 * loads; `loading` is true from the very render in which `deps` changed, so a view never shows
 * the previous answer as if it were the answer to the new filters.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(deps);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ctl = new AbortController();
    setLoading(true);
    setError(undefined);
    loadRef
      .current(ctl.signal)
      .then((d) => {
        if (!ctl.signal.aborted) setData(d);
      })
      .catch((e) => {
        if (!ctl.signal.aborted) setError(e);
      })
      .finally(() => {
        if (!ctl.signal.aborted) {
          setLoading(false);
          setLoadedKey(key);
        }
      });
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading: loading || loadedKey !== key, reload };
}

export interface CursorPages<T> extends Loaded<Page<T>> {
  items: T[];
  pageIndex: number;
  /** Pages known so far: the ones visited, plus the next when the API said there is one. */
  pagesCount: number;
  hasNext: boolean;
  goTo: (pageIndex: number) => void;
}

/**
 * One page of a listing at a time, through the API's cursors: page n+1 is reached with the
 * cursor page n answered (the cursors of visited pages are kept, so going back costs one call).
 * Never loads the whole listing. The page index starts at 1, as Cloudscape's Pagination counts.
 */
export function useCursorPages<T>(path: string | null, query: Query): CursorPages<T> {
  const api = useApi();
  const key = JSON.stringify([path, query]);
  const [state, setState] = useState<{ key: string; cursors: (string | null)[]; pageIndex: number }>({
    key,
    cursors: [null],
    pageIndex: 1,
  });
  // A new path or query starts again at page 1 (in this very render, so no stale page is fetched).
  const s = state.key === key ? state : { key, cursors: [null], pageIndex: 1 };
  const { cursors, pageIndex } = s;
  const cursor = cursors[pageIndex - 1] ?? null;
  const loaded = useLoad<Page<T>>(
    (signal) => (path === null ? Promise.resolve({ items: [], nextCursor: null }) : api.page<T>(path, query, cursor, signal)),
    [key, cursor, pageIndex],
  );
  const next = loaded.data?.nextCursor ?? null;
  useEffect(() => {
    if (loaded.loading || loaded.data === undefined) return;
    setState((prev) => {
      const cur = prev.key === key ? prev : { key, cursors: [null], pageIndex: 1 };
      const cs = cur.cursors;
      if (next === null) {
        return cs.length === cur.pageIndex && prev === cur ? prev : { ...cur, cursors: cs.slice(0, cur.pageIndex) };
      }
      if (cs[cur.pageIndex] === next && prev === cur) return prev;
      return { ...cur, cursors: [...cs.slice(0, cur.pageIndex), next] };
    });
  }, [next, key, loaded.loading, loaded.data]);
  const goTo = useCallback(
    (i: number) => setState((prev) => ({ ...(prev.key === key ? prev : { key, cursors: [null] }), pageIndex: i })),
    [key],
  );
  return {
    ...loaded,
    items: loaded.data?.items ?? [],
    pageIndex,
    // The page a loaded answer points to counts at once, in the render that shows the answer (the
    // effect above records its cursor one render later).
    pagesCount: Math.max(cursors.length, pageIndex + (next !== null ? 1 : 0)),
    hasNext: next !== null,
    goTo,
  };
}

/** Filters kept in the page's URL (so a link shows the same view), as strings. */
export function useUrlFilters<K extends string>(names: readonly K[]): [Record<K, string>, (changes: Partial<Record<K, string>>) => void] {
  const [params, setParams] = useSearchParams();
  const values = {} as Record<K, string>;
  for (const n of names) values[n] = params.get(n) ?? '';
  const set = useCallback(
    (changes: Partial<Record<K, string>>) => {
      setParams(
        (prev) => {
          const p = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(changes) as [K, string | undefined][]) {
            if (v === undefined || v === '') p.delete(k);
            else p.set(k, v);
          }
          return p;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [values, set];
}

/** Calls `fn` every `ms` while `active`; stops on unmount. */
export function useInterval(fn: () => void, ms: number, active: boolean): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    if (!active) return;
    const t = window.setInterval(() => ref.current(), ms);
    return () => window.clearInterval(t);
  }, [ms, active]);
}
