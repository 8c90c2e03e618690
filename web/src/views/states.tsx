import type { ReactNode } from 'react';

/** Loading tells assistive technology that content is on its way. */
export function Loading({ what }: { what: string }): ReactNode {
  return (
    <p className="state loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** Empty says there is nothing to show, and what the user can do about it. */
export function Empty({ children }: { children: ReactNode }): ReactNode {
  return <div className="state empty">{children}</div>;
}

/** ErrorState shows a failed request with a way to try again. */
export function ErrorState({ what, error, retry }: { what: string; error: string; retry?: () => void }): ReactNode {
  return (
    <div className="state error" role="alert">
      <p>
        Cannot load {what}: {error}
      </p>
      {retry === undefined ? null : (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** PhaseBadge shows a phase in words with a colour that only repeats them. */
export function PhaseBadge({ phase }: { phase: string | null }): ReactNode {
  const p = phase ?? 'Unknown';
  return <span className={`badge phase-${p.toLowerCase()}`}>{p}</span>;
}

/**
 * Scroll holds a table that can be wider than its card (on a phone); it is a
 * named, focusable region so a keyboard can scroll it too.
 */
export function Scroll({ label, children }: { label: string; children: ReactNode }): ReactNode {
  return (
    <div className="scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
