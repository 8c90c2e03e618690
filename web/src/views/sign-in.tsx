import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * SignIn takes the bearer token the team API checks (an OIDC ID token or a
 * ServiceAccount token). It is kept for this browser tab only (sessionStorage).
 */
export function SignIn({ reason, onToken }: { reason: string | null; onToken: (token: string) => void }): ReactNode {
  const [token, setToken] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <form
      className="sign-in card"
      onSubmit={(e) => {
        e.preventDefault();
        if (token.trim() !== '') onToken(token.trim());
      }}
    >
      {reason === null ? null : (
        <p className="field-error" role="alert">
          {reason}
        </p>
      )}
      <label htmlFor="token">Your token</label>
      <textarea id="token" ref={ref} value={token} onChange={(e) => setToken(e.target.value)} rows={4} required aria-describedby="token-hint" autoComplete="off" spellCheck={false} />
      <span id="token-hint" className="hint">
        An OIDC ID token or a ServiceAccount token (<code>kubectl create token NAME -n NAMESPACE</code>). The dashboard sees only what Kubernetes lets this token see.
      </span>
      <button type="submit" className="primary">
        Sign in
      </button>
    </form>
  );
}
