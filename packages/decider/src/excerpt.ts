/**
 * excerpt makes untrusted text safe to quote: control characters become spaces,
 * runs of whitespace collapse, and it is cut to `max` characters.
 */
export function excerpt(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : `${clean.slice(0, Math.max(0, max - 1))}…`;
}
