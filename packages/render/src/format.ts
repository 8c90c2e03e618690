import { chooseStyle, put, writeDouble, writeLiteral, writePlain, writeSingle, type Writer } from './go-scalar.js';
import { goKeyLess, goNumber, resolvesToNonString } from './go-resolve.js';

/*
 * `crossplane render` prints each object through Kubernetes' JSON-to-YAML path
 * (go-yaml v2): keys sorted, sequences not indented under their key, empty
 * collections as `{}`/`[]`, strings quoted only when needed, long lines folded
 * at the first space past column 80. This emitter reproduces that for JSON data.
 */

export { goKeyLess, goNumber, resolvesToNonString };

/** formatStream prints documents as a YAML stream, each preceded by `---`, as `crossplane render` does. */
export function formatStream(documents: readonly unknown[]): string {
  return documents.map((d) => `---\n${formatDocument(d)}`).join('');
}

/** formatDocument prints one JSON value as go-yaml v2 does. */
export function formatDocument(value: unknown): string {
  const w: Writer = { out: '', column: 0 };
  if (isBlockMap(value)) blockMapping(w, value, 0, true);
  else if (isBlockSeq(value)) blockSequence(w, value, 0, true);
  else writeScalar(w, value, 2, false);
  if (w.column > 0) put(w, '\n');
  return w.out;
}

type JsonMap = Record<string, unknown>;

function isBlockMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0;
}

function isBlockSeq(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.length > 0;
}

/** writeIndent starts a new line at `indent`, unless a literal block already ended the line. */
function writeIndent(w: Writer, indent: number): void {
  if (w.column > 0) put(w, '\n');
  put(w, ' '.repeat(indent));
}

function blockMapping(w: Writer, map: JsonMap, indent: number, sameLine: boolean): void {
  const keys = Object.keys(map).sort((a, b) => (a === b ? 0 : goKeyLess(a, b) ? -1 : 1));
  keys.forEach((key, i) => {
    if (i > 0 || !sameLine) writeIndent(w, indent);
    writeString(w, key, indent + 2, true);
    put(w, ':');
    const v = map[key];
    if (isBlockMap(v)) blockMapping(w, v, indent + 2, false);
    else if (isBlockSeq(v)) blockSequence(w, v, indent, false);
    else {
      put(w, ' ');
      writeScalar(w, v, indent + 2, false);
    }
  });
}

function blockSequence(w: Writer, items: unknown[], indent: number, sameLine: boolean): void {
  items.forEach((item, i) => {
    if (i > 0 || !sameLine) writeIndent(w, indent);
    put(w, '- ');
    if (isBlockMap(item)) blockMapping(w, item, indent + 2, true);
    else if (isBlockSeq(item)) blockSequence(w, item, indent + 2, true);
    else writeScalar(w, item, indent + 2, false);
  });
}

function writeScalar(w: Writer, v: unknown, indent: number, simpleKey: boolean): void {
  if (v === null || v === undefined) put(w, 'null');
  else if (typeof v === 'boolean') put(w, String(v));
  else if (typeof v === 'number') put(w, goNumber(v));
  else if (typeof v === 'string') writeString(w, v, indent, simpleKey);
  else if (Array.isArray(v)) put(w, '[]');
  else put(w, '{}');
}

function writeString(w: Writer, s: string, indent: number, simpleKey: boolean): void {
  const style = chooseStyle(s, resolvesToNonString(s), simpleKey);
  if (style === 'plain') writePlain(w, s, indent, !simpleKey);
  else if (style === 'single') writeSingle(w, s, indent, !simpleKey);
  else if (style === 'double') writeDouble(w, s, indent, !simpleKey);
  else writeLiteral(w, s, indent);
}
