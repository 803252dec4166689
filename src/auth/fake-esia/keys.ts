// Throwaway keys for the fake ESIA's own token signatures (RS256, like a system configured for RS256
// on the tech portal). The certificate is what the gateway is configured with as "the ESIA certificate".
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runOpenssl } from '../gost/openssl.js';

export interface RsaTestCertificate {
  keyPem: string;
  certPem: string;
}

/** RSA 2048 key and self-signed certificate, TEST ONLY (plain OpenSSL, no engine needed). */
export async function generateFakeEsiaCertificate(): Promise<RsaTestCertificate> {
  const dir = await mkdtemp(path.join(tmpdir(), 'jg-fake-esia-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    const r = await runOpenssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '30',
      '-subj', '/CN=fake ESIA TEST ONLY/O=journal-gateway tests']);
    if (r.code !== 0) throw new Error(`openssl req failed: ${r.stderr.split('\n')[0]}`);
    return { keyPem: await readFile(keyFile, 'utf8'), certPem: await readFile(certFile, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
