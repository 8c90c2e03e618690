import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const BLOCK = 512;

/**
 * unpackDataDir writes a gzipped tarball of a data directory (what PGlite's
 * dumpDataDir makes: directories and regular files, ustar headers) into
 * `dest`, which must not exist or be empty. It unpacks beside `dest` and
 * renames into place, so a failure never leaves a half-written cluster that
 * would later open as a whole one. Natively, this takes a fraction of what
 * PGlite's own loading into a directory takes (its file system layer writes
 * file by file through WebAssembly), and without blocking the event loop, so
 * a function keeps answering while its store opens. A member naming a path
 * outside `dest`, or of another type (links, devices), is refused.
 */
export async function unpackDataDir(gzipped: Buffer, dest: string): Promise<void> {
  const tar = await promisify(gunzip)(gzipped);
  const staging = `${dest}.unpacking-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    for (let at = 0; at + BLOCK <= tar.length; ) {
      const header = tar.subarray(at, at + BLOCK);
      if (header.every((b) => b === 0)) break;
      const size = octal(header.subarray(124, 136));
      const type = String.fromCharCode(header[156] ?? 0);
      const path = memberPath(header);
      at += BLOCK;
      if (type === '5') await mkdir(join(staging, path), { recursive: true });
      else if (type === '0' || type === '\0') {
        await mkdir(dirname(join(staging, path)), { recursive: true });
        await writeFile(join(staging, path), tar.subarray(at, at + size), { mode: 0o600 });
      } else throw new Error(`cannot unpack member ${JSON.stringify(path)}: type ${JSON.stringify(type)} is not a file or directory`);
      at += Math.ceil(size / BLOCK) * BLOCK;
    }
    // Absent is fine; a non-empty one makes the rename fail below, as it should.
    await rmdir(dest).catch(() => undefined);
    await rename(staging, dest);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}

function octal(field: Buffer): number {
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  const n = text === '' ? 0 : parseInt(text, 8);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`cannot read a tar header: size ${JSON.stringify(text)}`);
  return n;
}

/** memberPath is a member's ustar name (prefix/name), relative, refusing `..` and empty names. */
function memberPath(header: Buffer): string {
  const field = (from: number, to: number): string => header.subarray(from, to).toString('utf8').replace(/\0.*$/s, '');
  const magic = header.subarray(257, 262).toString('latin1');
  const prefix = magic === 'ustar' ? field(345, 500) : '';
  const full = [prefix, field(0, 100)].filter((p) => p !== '').join('/');
  const parts = full.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) throw new Error(`cannot unpack member ${JSON.stringify(full)}: not a path inside the data directory`);
  return parts.join('/');
}
