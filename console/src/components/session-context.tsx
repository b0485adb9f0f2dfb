import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { Api } from '../api/client';
import { clearSession, loadSession, saveSession, type Session } from '../api/session';

interface SessionState {
  session: Session | null;
  api: Api | null;
  /** Why the last session ended, when the API ended it (a refused key). */
  endedBecause: string | null;
  signIn: (s: Session) => void;
  signOut: (reason?: string) => void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children, initial }: { children: ReactNode; initial?: Session | null }) {
  const [session, setSession] = useState<Session | null>(() => (initial !== undefined ? initial : loadSession()));
  const [endedBecause, setEndedBecause] = useState<string | null>(null);
  const signOut = useCallback((reason?: string) => {
    clearSession();
    setSession(null);
    setEndedBecause(reason ?? null);
  }, []);
  const signIn = useCallback((s: Session) => {
    saveSession(s);
    setEndedBecause(null);
    setSession(s);
  }, []);
  const api = useMemo(
    () =>
      session
        ? new Api(session.key, { onUnauthorized: () => signOut('The API refused the key (401): it is wrong or has been revoked.') })
        : null,
    [session, signOut],
  );
  const value = useMemo(() => ({ session, api, endedBecause, signIn, signOut }), [session, api, endedBecause, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The API of the signed-in session (pages are only rendered while signed in). */
export function useApi(): Api {
  const { api } = useSession();
  if (!api) throw new Error('not signed in');
  return api;
}

export function useIsAdmin(): boolean {
  return useSession().session?.role === 'admin';
}
