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

/** FeedbackAnnotations are the values of an XR's feedback annotations as they are, unread (undefined when absent). */
export interface FeedbackAnnotations {
  value: unknown;
  comment: unknown;
}

/** feedbackAnnotations reads `scia.io/feedback` and `scia.io/feedback-comment` from metadata as they are. */
export function feedbackAnnotations(xr: Record<string, unknown>): FeedbackAnnotations {
  const meta = xr['metadata'];
  const annotations = typeof meta === 'object' && meta !== null && 'annotations' in meta && typeof meta.annotations === 'object' && meta.annotations !== null
    ? (meta.annotations as Record<string, unknown>)
    : {};
  return { value: annotations[Annotation.feedback], comment: annotations[Annotation.feedbackComment] };
}

/** readFeedback reads `scia.io/feedback` (+1, -1, or 0 to clear) and `scia.io/feedback-comment` from metadata (or from `given`, when read already). */
export function readFeedback(xr: Record<string, unknown>, given: FeedbackAnnotations = feedbackAnnotations(xr)): Feedback {
  const warnings: string[] = [];
  const raw = given.value;
  let value: number | undefined;
  if (raw !== undefined) {
    value = typeof raw === 'string' ? VALUES[raw.trim()] : undefined;
    if (value === undefined) warnings.push(`cannot read annotation ${Annotation.feedback}: want "+1" or "-1" (or "0" to clear), got ${JSON.stringify(raw)}`);
  }
  const rawComment = given.comment;
  let comment = typeof rawComment === 'string' && rawComment.trim() !== '' ? rawComment.trim() : undefined;
  if (comment !== undefined && comment.length > MAX_COMMENT) {
    warnings.push(`annotation ${Annotation.feedbackComment} is ${comment.length} characters long; keeping the first ${MAX_COMMENT}`);
    comment = comment.slice(0, MAX_COMMENT);
  }
  return { value, comment, warnings };
}
