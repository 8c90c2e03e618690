import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createApi } from './api/client.js';
import { href, takeToken, type Route } from './model/route.js';
import { SessionContext, useRoute, type Session } from './hooks.js';
import { Overview } from './views/overview.js';
import { DeploymentPage } from './views/deployment.js';
import { NewDeployment } from './views/new-deployment.js';
import { SignIn } from './views/sign-in.js';

const TOKEN_KEY = 'scia.token';

/** initialToken takes a token handed over in the URL fragment, else the one kept for this tab. */
function initialToken(): string | null {
  const handed = takeToken(location.hash);
  if (handed.token !== null) {
    sessionStorage.setItem(TOKEN_KEY, handed.token);
    history.replaceState(null, '', handed.hash);
    return handed.token;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function title(r: Route): string {
  switch (r.page) {
    case 'overview':
      return 'Deployments';
    case 'new':
      return 'New deployment';
    case 'deployment':
      return r.name;
  }
}

/** App is the dashboard: a sign-in until a token is given, then the page the URL names. */
export function App(): ReactNode {
  const [token, setToken] = useState<string | null>(initialToken);
  const [reason, setReason] = useState<string | null>(null);
  const api = useMemo(() => (token === null ? null : createApi(token)), [token]);
  useEffect(() => () => api?.close(), [api]);
  const signOut = useCallback((why: string) => {
    sessionStorage.removeItem(TOKEN_KEY);
    setReason(why);
    setToken(null);
  }, []);
  const session = useMemo<Session | null>(() => (api === null ? null : { api, signOut }), [api, signOut]);
  const route = useRoute();
  const heading = session === null ? 'Sign in' : title(route);
  useEffect(() => {
    document.title = `${heading} · SCIA`;
  }, [heading]);

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href={href({ page: 'overview' })}>
          SCIA
        </a>
        {session === null ? null : (
          <nav aria-label="Main">
            <a href={href({ page: 'overview' })} aria-current={route.page === 'overview' ? 'page' : undefined}>
              Deployments
            </a>
            <a href={href({ page: 'new' })} aria-current={route.page === 'new' ? 'page' : undefined}>
              New deployment
            </a>
            <button type="button" onClick={() => signOut('Signed out.')}>
              Sign out
            </button>
          </nav>
        )}
      </header>
      <main id="main">
        <Heading text={heading} routeKey={JSON.stringify(route)} />
        {session === null ? (
          <SignIn
            reason={reason}
            onToken={(t) => {
              sessionStorage.setItem(TOKEN_KEY, t);
              setReason(null);
              setToken(t);
            }}
          />
        ) : (
          <SessionContext.Provider value={session}>
            <Page route={route} />
          </SessionContext.Provider>
        )}
      </main>
    </>
  );
}

function Page({ route }: { route: Route }): ReactNode {
  switch (route.page) {
    case 'overview':
      return <Overview />;
    case 'new':
      return <NewDeployment />;
    case 'deployment':
      return <DeploymentPage key={`${route.namespace}/${route.name}`} namespace={route.namespace} name={route.name} />;
  }
}

/** Heading is the page's h1; it takes focus when the route changes, so a screen reader announces the new page. */
function Heading({ text, routeKey }: { text: string; routeKey: string }): ReactNode {
  const ref = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    ref.current?.focus();
  }, [routeKey]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {text}
    </h1>
  );
}
