// The signer and verifier the config asks for (backup.signer, signingKeyFile, verifyKeyFile,
// certificateFile). Key files are read here and nowhere else; their contents are never logged.
import { readFile } from 'node:fs/promises';
import { certificateHashOf, OpenSslGostSigner } from '../auth/signer.js';
import type { GatewayConfig } from '../config/schema.js';
import { Ed25519Signer, Ed25519Verifier, GostVerifier, type ArchiveSigner, type ArchiveVerifier } from './signer.js';

type BackupConfig = GatewayConfig['backup'];

export async function signerFromConfig(b: BackupConfig): Promise<ArchiveSigner> {
  if (!b.signingKeyFile) throw new Error('backup.signingKeyFile is not set: backups are signed (R-34); see docs/backup.md for making a key');
  if (b.signer === 'openssl-gost') {
    if (!b.certificateFile) throw new Error('backup.signer openssl-gost needs backup.certificateFile');
    return new OpenSslGostSigner({ keyFile: b.signingKeyFile, certFile: b.certificateFile });
  }
  return Ed25519Signer.fromFile(b.signingKeyFile);
}

export async function verifierFromConfig(b: BackupConfig): Promise<ArchiveVerifier> {
  if (b.signer === 'openssl-gost') {
    if (!b.certificateFile) throw new Error('backup.signer openssl-gost needs backup.certificateFile');
    const pem = await readFile(b.certificateFile, 'utf8');
    return new GostVerifier(pem, await certificateHashOf(pem));
  }
  const file = b.verifyKeyFile ?? b.signingKeyFile;
  if (!file) throw new Error('backup.verifyKeyFile (or signingKeyFile) is not set: nothing to check signatures against');
  return Ed25519Verifier.fromFile(file);
}
