import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** TestPki is a throwaway certificate authority with a server and a client key pair, as PEM files in `dir`. */
export interface TestPki {
  dir: string;
  /** serverDir holds tls.crt, tls.key and ca.crt as Crossplane mounts them for a function. */
  serverDir: string;
  ca: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
  /** otherCa signs `strangerCert`: a client the server must refuse. */
  strangerCert: Buffer;
  strangerKey: Buffer;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function issue(cwd: string, name: string, ca: string, ext: string): void {
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], cwd);
  writeFileSync(join(cwd, `${name}.ext`), ext);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '1', '-out', `${name}.crt`, '-extfile', `${name}.ext`], cwd);
}

/** makeTestPki generates a CA, a server certificate for localhost/127.0.0.1 and client certificates with openssl. */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'scia-pki-'));
  for (const ca of ['ca', 'other-ca']) {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-days', '1', '-subj', `/CN=${ca}`], dir);
  }
  issue(dir, 'server', 'ca', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  issue(dir, 'client', 'ca', 'extendedKeyUsage=clientAuth\n');
  issue(dir, 'stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n');
  const serverDir = join(dir, 'server-mount');
  execFileSync('mkdir', [serverDir]);
  writeFileSync(join(serverDir, 'tls.crt'), readFileSync(join(dir, 'server.crt')));
  writeFileSync(join(serverDir, 'tls.key'), readFileSync(join(dir, 'server.key')));
  writeFileSync(join(serverDir, 'ca.crt'), readFileSync(join(dir, 'ca.crt')));
  const read = (f: string): Buffer => readFileSync(join(dir, f));
  return {
    dir,
    serverDir,
    ca: read('ca.crt'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    strangerCert: read('stranger.crt'),
    strangerKey: read('stranger.key'),
  };
}
