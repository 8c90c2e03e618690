import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';

/** TlsFiles are the PEM files Crossplane mounts for a function: its key pair and the CA its clients use. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
}

/** readTlsDir reads `tls.crt`, `tls.key` and `ca.crt` from `dir`, naming the file it cannot read. */
export async function readTlsDir(dir: string): Promise<TlsFiles> {
  const read = async (file: string): Promise<Buffer> => {
    try {
      return await readFile(join(dir, file));
    } catch (err) {
      throw new Error(`cannot read TLS file ${join(dir, file)}: ${(err as Error).message}`, { cause: err });
    }
  };
  // One after another, so the error always names the first file missing.
  const cert = await read('tls.crt');
  const key = await read('tls.key');
  const ca = await read('ca.crt');
  return { cert, key, ca };
}

const filesOf = new WeakMap<grpc.ServerCredentials, TlsFiles>();

/** mutualTlsCredentials requires every client to present a certificate signed by `ca`. */
export function mutualTlsCredentials(files: TlsFiles): grpc.ServerCredentials {
  const credentials = grpc.ServerCredentials.createSsl(files.ca, [{ private_key: files.key, cert_chain: files.cert }], true);
  filesOf.set(credentials, files);
  return credentials;
}

/** tlsFilesOf returns the files mutualTlsCredentials() built `credentials` from, or undefined for any other credentials. */
export function tlsFilesOf(credentials: grpc.ServerCredentials): TlsFiles | undefined {
  return filesOf.get(credentials);
}
