import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { errorText, fail, ok, type Result } from '@scia/api';
import type { Database } from './db.js';
import { SEED_FILE, type ImportReport } from './import.js';
import { MIGRATIONS } from './migrations.js';
import { fingerprint, readTemplate, writeAtomically } from './pglite-template.js';
import { DIMENSIONS } from './vector.js';

/**
 * A store template is a whole fresh embedded store (PGlite's data directory,
 * migrated, with the example knowledge embedded by one embedder), dumped once
 * and unpacked into each new data directory: a fresh store then opens in the
 * time PGlite takes to start (well under a second) rather than initdb's,
 * the migrations' and the seed's (seconds, tens under load). Images carry one
 * built when they are (SCIA_STORE_TEMPLATE_DIR); elsewhere the first fresh
 * store leaves one in the cache (SCIA_CACHE_DIR) for the next, unless it was
 * written to before it closed (see Database.keepOnClose).
 */

/** StoreTemplate is a template file and the seed report of the store it holds. */
export interface StoreTemplate {
  file: string;
  seeded?: ImportReport;
}

const Sidecar = z.object({ seeded: z.object({ rows: z.number(), written: z.number(), unchanged: z.number(), skipped: z.array(z.string()) }).optional() });

/**
 * storeTemplateKey names the template of a fresh store: it changes with
 * anything the store's content depends on (PGlite and pgvector, the
 * migrations, the seed file and whether it loads, the embedder that embedded it).
 */
export function storeTemplateKey(embedderId: string, seed: boolean): string {
  const seedDigest = seed && existsSync(SEED_FILE) ? readFileSync(SEED_FILE, 'utf8') : seed ? 'missing seed' : 'no seed';
  // The layout: the store's own database only (see otherDatabases in db.ts).
  return fingerprint([DIMENSIONS, MIGRATIONS.map((m) => [m.version, m.sql]), seedDigest, embedderId, 'store database only']);
}

const fileOf = (dir: string, key: string): string => join(dir, `store-${key}.tar.gz`);

/** findStoreTemplate is the first template for `key` in `dirs` (unset ones skipped). */
export function findStoreTemplate(key: string, dirs: ReadonlyArray<string | undefined>): StoreTemplate | undefined {
  for (const dir of dirs) {
    if (dir === undefined) continue;
    const file = fileOf(dir, key);
    if (!existsSync(file)) continue;
    let seeded: ImportReport | undefined;
    try {
      seeded = Sidecar.parse(JSON.parse(readFileSync(`${file}.json`, 'utf8'))).seeded;
    } catch {
      // no report: the store is still whole
    }
    return { file, ...(seeded === undefined ? {} : { seeded }) };
  }
  return undefined;
}

/** loadStoreTemplate reads a template's bytes for PGlite's loadDataDir. */
export function loadStoreTemplate(template: StoreTemplate | undefined): Buffer | undefined {
  return readTemplate(template?.file);
}

/**
 * saveStoreTemplate keeps a just-created embedded store as the template for
 * `key` in `dir`, with its seed report beside it: a store in a directory once
 * it is closed, one in memory at once; a store on PostgreSQL, or a template
 * already there, is left alone.
 */
export async function saveStoreTemplate(db: Database, dir: string, key: string, seeded: ImportReport | undefined): Promise<Result<string>> {
  const file = fileOf(dir, key);
  if (db.dump === undefined) return fail('cannot save a store template: the store is not embedded');
  if (existsSync(file)) return ok(file);
  if (db.keepOnClose !== undefined) {
    // A directory is packed once closed cleanly: a dump of the running instance would need crash recovery at every start.
    try {
      writeAtomically(`${file}.json`, `${JSON.stringify(seeded === undefined ? {} : { seeded })}\n`);
    } catch (err) {
      return fail(`cannot save a store template in ${dir}: ${errorText(err)}`);
    }
    db.keepOnClose(file);
    return ok(file);
  }
  try {
    const bytes = Buffer.from(await (await db.dump()).arrayBuffer());
    writeAtomically(`${file}.json`, `${JSON.stringify(seeded === undefined ? {} : { seeded })}\n`);
    writeAtomically(file, bytes);
    return ok(file);
  } catch (err) {
    return fail(`cannot save a store template in ${dir}: ${errorText(err)}`);
  }
}
