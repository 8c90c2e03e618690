import { useState, type FormEvent, type ReactNode } from 'react';
import { FEEDBACK, type FeedbackData } from '../api/operations.js';
import { ApiError } from '../api/client.js';
import type { Feedback } from '../model/types.js';
import { useSession } from '../hooks.js';
import { feedbackWords } from './cases.js';

/**
 * FeedbackSection takes a thumbs up or down with a comment (the annotations the
 * record step learns from) and shows the feedback once given.
 */
export function FeedbackSection({ id, given, onSaved }: { id: string; given: Feedback | null; onSaved: () => void }): ReactNode {
  const { api, signOut } = useSession();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState<1 | -1 | null>(given?.value ?? null);
  const [comment, setComment] = useState(given?.comment ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<Feedback | null>(null);
  const shown = saved ?? given;

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (value === null) return setError('Choose thumbs up or thumbs down.');
    setBusy(true);
    setError(null);
    try {
      const data = await api.request<FeedbackData>(FEEDBACK, { id, value, comment: comment.trim() === '' ? null : comment.trim() });
      const p = data.provideFeedback;
      if (p.errors.length > 0) return setError(p.errors.map((x) => x.message).join('; '));
      setSaved({ value, comment: comment.trim() === '' ? null : comment.trim() });
      setEditing(false);
      onSaved();
    } catch (x) {
      if (x instanceof ApiError && x.status === 401) signOut(x.message);
      else setError(x instanceof Error ? x.message : String(x));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="feedback-title" className="card">
      <h2 id="feedback-title">Feedback</h2>
      {shown !== null && !editing ? (
        <div className="feedback-given" role="status">
          <p>
            Your team said: <strong>{feedbackWords(shown.value)}</strong>
          </p>
          {shown.comment === null ? null : <blockquote>{shown.comment}</blockquote>}
          <button type="button" onClick={() => setEditing(true)}>
            Change feedback
          </button>
        </div>
      ) : (
        <form onSubmit={submit} aria-describedby={error === null ? undefined : 'feedback-error'}>
          <fieldset>
            <legend>Was this decision right?</legend>
            <label className="choice">
              <input type="radio" name="feedback" value="1" checked={value === 1} onChange={() => setValue(1)} />
              <span aria-hidden="true">👍</span> Yes
            </label>
            <label className="choice">
              <input type="radio" name="feedback" value="-1" checked={value === -1} onChange={() => setValue(-1)} />
              <span aria-hidden="true">👎</span> No
            </label>
          </fieldset>
          <label>
            Comment (optional)
            <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={3} maxLength={1000} />
          </label>
          {error === null ? null : (
            <p id="feedback-error" className="field-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Send feedback'}
          </button>
        </form>
      )}
    </section>
  );
}
