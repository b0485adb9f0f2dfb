import Link, { type LinkProps } from '@cloudscape-design/components/link';
import { useCallback } from 'react';
import { useNavigate } from 'react-router-dom';

/** Where the console is served: the same origin as the API, under /console/. */
export const BASE = '/console';

/** The full href of a console path ("/instances" → "/console/instances"), for real links. */
export function href(path: string): string {
  return `${BASE}${path.startsWith('/') ? path : `/${path}`}`;
}

/** Cloudscape's onFollow for console links: navigate in the app instead of loading the page again. */
export function useFollow(): (e: CustomEvent<{ href?: string; external?: boolean }>) => void {
  const navigate = useNavigate();
  return useCallback(
    (e) => {
      const h = e.detail.href;
      if (!h || e.detail.external || !h.startsWith(BASE)) return;
      e.preventDefault();
      navigate(h.slice(BASE.length) || '/');
    },
    [navigate],
  );
}

/** A link to a console page. Its text is rendered as text, like everything else. */
export function RLink({ to, children, ...rest }: { to: string; children: React.ReactNode } & Omit<LinkProps, 'href' | 'onFollow'>) {
  const follow = useFollow();
  return (
    <Link {...rest} href={href(to)} onFollow={follow}>
      {children}
    </Link>
  );
}

export const paths = {
  instances: () => '/instances',
  instance: (id: string, tab?: string) => `/instances/${encodeURIComponent(id)}${tab ? `/${tab}` : ''}`,
  execution: (id: string) => `/executions/${encodeURIComponent(id)}`,
  executions: () => '/executions',
  customers: () => '/customers',
  customer: (id: string, tab?: string) => `/customers/${encodeURIComponent(id)}${tab ? `/${tab}` : ''}`,
  alerts: () => '/alerts',
  deadLetters: () => '/dead-letters',
  replayJob: (id: string) => `/replays/${encodeURIComponent(id)}`,
  cancellationJob: (id: string) => `/cancellations/${encodeURIComponent(id)}`,
};
