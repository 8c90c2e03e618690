import { createContext, useContext, useEffect, useState } from 'react';
import type { Api } from './api/client.js';
import { ApiError } from './api/client.js';
import { parseRoute, type Route } from './model/route.js';

/** Session is what every view needs: the API, and how to report a refused token. */
export interface Session {
  api: Api;
  signOut: (reason: string) => void;
}

export const SessionContext = createContext<Session | null>(null);

/** useSession returns the signed-in session; views render only inside one. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (s === null) throw new Error('cannot use the API outside a session');
  return s;
}

/** useRoute follows the URL fragment. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = (): void => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** useNow is the current time, refreshed every `everyMs`, so ages stay true without a reload. */
export function useNow(everyMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

/** Load is the state of one request: under way, answered, or failed. */
export type Load<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; error: string };

/**
 * useLoad runs `load` when a key changes and again when `reload` is called;
 * a 401 signs the user out instead of showing an error.
 */
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>): [Load<T>, () => void] {
  const { signOut } = useSession();
  const [state, setState] = useState<Load<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    load(ctl.signal).then(
      (value) => ctl.signal.aborted || setState({ state: 'ready', value }),
      (e: unknown) => {
        if (ctl.signal.aborted) return;
        if (e instanceof ApiError && e.status === 401) signOut(e.message);
        else setState({ state: 'error', error: e instanceof Error ? e.message : String(e) });
      },
    );
    return () => ctl.abort();
    // `load` is a new closure every render; the key says when it asks for something else.
  }, [key, tick]);
  return [state, () => setTick((t) => t + 1)];
}
