import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { errorText, fail, ok, type Result } from '@scia/api';
import type { Store } from './store.js';
import { fromV1, v1Rows } from './import-v1.js';
import type { DeploymentRecordInput } from './records.js';

/** ImportReport says what an import did with each row. */
export interface ImportReport {
  rows: number;
  /** written counts rows inserted or changed; rows already stored as they are count as unchanged. */
  written: number;
  unchanged: number;
  skipped: string[];
}

/** SEED_FILE is the example knowledge a fresh store starts from: shared, visible to every tenant. */
export const SEED_FILE = fileURLToPath(new URL('../../../examples/knowledge/seed.json', import.meta.url));

/**
 * importV1 loads a SCIA v1 export (see import-v1.ts for the accepted shape) into
 * the store. A row that does not fit is skipped and named; the others load.
 */
export async function importV1(store: Store, doc: unknown, defaults: { namespace?: string; shared?: boolean } = {}): Promise<Result<ImportReport>> {
  const rows = v1Rows(doc);
  if (rows === undefined) return fail('cannot import: want a JSON array of deployment rows or {"deployments": [...]}');
  const records: DeploymentRecordInput[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  rows.forEach((raw, i) => {
    const converted = fromV1(raw, { namespace: defaults.namespace ?? '', shared: defaults.shared ?? false });
    if (!converted.ok) return skipped.push(`row ${i}${idNote(raw)}: ${converted.error}`);
    const key = `${converted.value.xrUid}\n${converted.value.decisionHash}`;
    if (seen.has(key)) return skipped.push(`row ${i}${idNote(raw)}: repeats an earlier row's id and commit`);
    seen.add(key);
    return records.push(converted.value);
  });
  const prepared = await store.prepare(records);
  if (!prepared.ok) return prepared;
  const written = await store.writeMany(prepared.value);
  if (!written.ok) return written;
  return ok({ rows: rows.length, written: written.value, unchanged: records.length - written.value, skipped });
}

/** importV1File reads and imports an export file. */
export async function importV1File(store: Store, file: string, defaults: { namespace?: string; shared?: boolean } = {}): Promise<Result<ImportReport>> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    return fail(`cannot read ${file}: ${errorText(err)}`);
  }
  return importV1(store, doc, defaults);
}

/** loadSeed imports the example knowledge as shared rows. */
export function loadSeed(store: Store, file = SEED_FILE): Promise<Result<ImportReport>> {
  return importV1File(store, file, { namespace: '', shared: true });
}

function idNote(raw: unknown): string {
  return typeof raw === 'object' && raw !== null && 'id' in raw ? ` (id ${JSON.stringify(raw.id)})` : '';
}
