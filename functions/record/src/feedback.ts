import { Annotation } from '@scia/api';

/** MAX_COMMENT is the longest feedback comment kept. */
export const MAX_COMMENT = 2000;

/** Feedback is what a team's annotations say, and the Warnings for any that cannot be read. */
export interface Feedback {
  /** value is -1, 0 or +1; undefined when the team gave none (or an invalid one). */
  value: number | undefined;
  comment: string | undefined;
  warnings: string[];
}

const VALUES: Record<string, number> = { '+1': 1, '1': 1, '-1': -1, '0': 0 };

/** readFeedback reads `scia.io/feedback` (+1, -1, or 0 to clear) and `scia.io/feedback-comment` from metadata. */
export function readFeedback(xr: Record<string, unknown>): Feedback {
  const meta = xr['metadata'];
  const annotations = typeof meta === 'object' && meta !== null && 'annotations' in meta && typeof meta.annotations === 'object' && meta.annotations !== null
    ? (meta.annotations as Record<string, unknown>)
    : {};
  const warnings: string[] = [];
  const raw = annotations[Annotation.feedback];
  let value: number | undefined;
  if (raw !== undefined) {
    value = typeof raw === 'string' ? VALUES[raw.trim()] : undefined;
    if (value === undefined) warnings.push(`cannot read annotation ${Annotation.feedback}: want "+1" or "-1" (or "0" to clear), got ${JSON.stringify(raw)}`);
  }
  const rawComment = annotations[Annotation.feedbackComment];
  let comment = typeof rawComment === 'string' && rawComment.trim() !== '' ? rawComment.trim() : undefined;
  if (comment !== undefined && comment.length > MAX_COMMENT) {
    warnings.push(`annotation ${Annotation.feedbackComment} is ${comment.length} characters long; keeping the first ${MAX_COMMENT}`);
    comment = comment.slice(0, MAX_COMMENT);
  }
  return { value, comment, warnings };
}
