import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { INSERT_COLUMNS, rowValues, type PreparedRow } from './write.js';

type ColumnType = 'text' | 'bool' | 'jsonb' | 'vector' | 'float8' | 'int2' | 'text[]' | 'timestamptz';

const TYPES: Record<(typeof INSERT_COLUMNS)[number], ColumnType> = {
  xr_uid: 'text', decision_hash: 'text', name: 'text', namespace: 'text', shared: 'bool', framework: 'text', language: 'text',
  strategy: 'text', config: 'jsonb', summary: 'text', embedding: 'vector', embedder: 'text', metadata: 'jsonb', outcome: 'text',
  failure_reason: 'text', cost_monthly: 'float8', performance_metrics: 'jsonb', user_feedback: 'int2', feedback_comment: 'text',
  causes: 'text[]', intent: 'text[]', evidence: 'jsonb', created_at: 'timestamptz', updated_at: 'timestamptz',
};

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const EPOCH_2000_MS = Date.UTC(2000, 0, 1);
const TEXT_OID = 25;

function field(type: ColumnType, v: unknown): Buffer {
  switch (type) {
    case 'text': return Buffer.from(String(v), 'utf8');
    case 'bool': return Buffer.from([v === true ? 1 : 0]);
    case 'jsonb': return Buffer.concat([Buffer.from([1]), Buffer.from(String(v), 'utf8')]);
    case 'vector': return v as Buffer;
    case 'float8': { const b = Buffer.allocUnsafe(8); b.writeDoubleBE(Number(v)); return b; }
    case 'int2': { const b = Buffer.allocUnsafe(2); b.writeInt16BE(Number(v)); return b; }
    case 'timestamptz': { const b = Buffer.allocUnsafe(8); b.writeBigInt64BE(BigInt((v as Date).getTime() - EPOCH_2000_MS) * 1000n); return b; }
    case 'text[]': return textArray(v as string[]);
  }
}

function textArray(xs: readonly string[]): Buffer {
  const head = Buffer.allocUnsafe(xs.length === 0 ? 12 : 20);
  head.writeInt32BE(xs.length === 0 ? 0 : 1, 0);
  head.writeInt32BE(0, 4);
  head.writeInt32BE(TEXT_OID, 8);
  if (xs.length > 0) {
    head.writeInt32BE(xs.length, 12);
    head.writeInt32BE(1, 16);
  }
  return Buffer.concat([head, ...xs.flatMap((x) => { const b = Buffer.from(x, 'utf8'); const n = Buffer.allocUnsafe(4); n.writeInt32BE(b.length); return [n, b]; })]);
}

/** tuple is one row in PostgreSQL's binary COPY format. */
function tuple(row: PreparedRow): Buffer {
  const values = rowValues(row);
  const parts: Buffer[] = [];
  const count = Buffer.allocUnsafe(2);
  count.writeInt16BE(INSERT_COLUMNS.length);
  parts.push(count);
  INSERT_COLUMNS.forEach((c, i) => {
    const v = values[i];
    const len = Buffer.allocUnsafe(4);
    if (v === null || v === undefined) {
      len.writeInt32BE(-1);
      parts.push(len);
      return;
    }
    const b = field(TYPES[c], v);
    len.writeInt32BE(b.length);
    parts.push(len, b);
  });
  return Buffer.concat(parts);
}

/**
 * copyRows appends rows to `deployments` with one binary COPY (PostgreSQL
 * only; PGlite takes writeRows): the bulk loader for imports into an empty or
 * append-only store and for benchmarks. It does not upsert: a row whose key
 * exists fails the whole COPY. `rows` may be produced lazily, batch by batch.
 */
export async function copyRows(client: pg.PoolClient, rows: Iterable<PreparedRow[]> | AsyncIterable<PreparedRow[]>): Promise<number> {
  // A connection lost mid-COPY rejects the copy; the socket's error that follows, with no query left
  // to take it, would otherwise reach the checked-out client unheard and end the process.
  const ignore = (): void => undefined;
  client.on('error', ignore);
  try {
    return await copyAll(client, rows);
  } finally {
    client.off('error', ignore);
  }
}

async function copyAll(client: pg.PoolClient, rows: Iterable<PreparedRow[]> | AsyncIterable<PreparedRow[]>): Promise<number> {
  const stream = client.query(copyFrom(`COPY deployments (${INSERT_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`));
  const done = new Promise<void>((resolve, reject) => {
    stream.once('finish', resolve);
    stream.on('error', reject);
  });
  const header = Buffer.alloc(8);
  // A failed COPY ends the stream with an error, never with 'drain': wait for whichever comes first.
  const write = (b: Buffer): Promise<void> => (stream.write(b) ? Promise.resolve() : Promise.race([new Promise<void>((resolve) => stream.once('drain', resolve)), done]));
  await write(Buffer.concat([SIGNATURE, header]));
  let n = 0;
  for await (const batch of rows) {
    await write(Buffer.concat(batch.map(tuple)));
    n += batch.length;
    // Let timers and signals in between batches, or a long load holds the event loop until it ends.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const trailer = Buffer.allocUnsafe(2);
  trailer.writeInt16BE(-1);
  stream.end(trailer);
  await done;
  return n;
}
