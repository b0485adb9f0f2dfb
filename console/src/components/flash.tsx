import Flashbar, { type FlashbarProps } from '@cloudscape-design/components/flashbar';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

type Flash = Omit<FlashbarProps.MessageDefinition, 'id' | 'onDismiss' | 'dismissible'>;

interface FlashState {
  items: FlashbarProps.MessageDefinition[];
  push: (f: Flash) => void;
}

const FlashContext = createContext<FlashState | null>(null);

let counter = 0;

/** Messages about what an action did (paused, replay queued, deleted), shown above every page. */
export function FlashProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<FlashbarProps.MessageDefinition[]>([]);
  const push = useCallback((f: Flash) => {
    const id = `flash-${++counter}`;
    const dismiss = () => setItems((xs) => xs.filter((x) => x.id !== id));
    setItems((xs) => [{ ...f, id, dismissible: true, onDismiss: dismiss, dismissLabel: 'Dismiss' }, ...xs].slice(0, 5));
  }, []);
  const value = useMemo(() => ({ items, push }), [items, push]);
  return <FlashContext.Provider value={value}>{children}</FlashContext.Provider>;
}

export function useFlash(): (f: Flash) => void {
  const s = useContext(FlashContext);
  if (!s) throw new Error('useFlash outside FlashProvider');
  return s.push;
}

export function Flashes() {
  const s = useContext(FlashContext);
  return <Flashbar items={s?.items ?? []} />;
}
