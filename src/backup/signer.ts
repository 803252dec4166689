// Detached signatures of a backup manifest (DECISIONS.md §8, R-34). Ed25519 by default; a GOST signer
// plugs in through the same EsiaSigner interface the ESIA login uses (src/auth/signer.ts), so a
// certified crypto service signs archives and login secrets alike.
import { createHash, createPrivateKey, createPublicKey, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { EsiaSigner } from '../auth/signer.js';
import { gostVerify, type OpensslOptions } from '../auth/gost/openssl.js';
import { BackupConfigError } from './destinations.js';

/** What a backup is signed with. `EsiaSigner` satisfies it: `certificateHash()` names the key. */
export type ArchiveSigner = Pick<EsiaSigner, 'kind' | 'sign' | 'certificateHash'>;

export interface ArchiveVerifier {
  readonly kind: string;
  /** Same value the matching signer's certificateHash() gives: lets verify say "signed with another key". */
  certificateHash(): Promise<string>;
  verify(data: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /** The verifier for the key a manifest names, when it is this one or a retired key it also trusts. */
  forKey?(certificateHash: string): Promise<ArchiveVerifier | undefined>;
}

/**
 * The current verification key and the retired ones the configuration still trusts: new snapshots are checked
 * against the current key; an older snapshot against the retired key that signed it (found by the key id its
 * manifest names), so changing the signing key does not make the archive unverifiable.
 */
export class KeyRing implements ArchiveVerifier {
  constructor(private readonly current: ArchiveVerifier, private readonly retired: readonly ArchiveVerifier[]) {}
  get kind(): string { return this.current.kind; }
  certificateHash(): Promise<string> { return this.current.certificateHash(); }
  verify(data: Uint8Array, signature: Uint8Array): Promise<boolean> { return this.current.verify(data, signature); }
  async forKey(certificateHash: string): Promise<ArchiveVerifier | undefined> {
    for (const v of [this.current, ...this.retired]) if ((await v.certificateHash()) === certificateHash) return v;
    return undefined;
  }
}

/** SHA-256 of the SPKI DER, upper-case hex: the Ed25519 key's name in manifests and snapshots. */
export function ed25519KeyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').toUpperCase();
}

function asEd25519(key: KeyObject, file: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file}: expected an Ed25519 key, found ${key.asymmetricKeyType ?? 'a symmetric key'}`);
  return key;
}

export class Ed25519Signer implements ArchiveSigner {
  readonly kind = 'ed25519';
  readonly publicKey: KeyObject;
  constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
  }

  static async fromFile(file: string): Promise<Ed25519Signer> {
    let pem: string;
    try {
      pem = await readFile(file, 'utf8');
    } catch (e) {
      throw new Error(`backup signing key ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch {
      throw new Error(`backup signing key ${file}: not a PEM private key`);
    }
    return new Ed25519Signer(asEd25519(key, file));
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(edSign(null, data, this.privateKey));
  }

  async certificateHash(): Promise<string> {
    return ed25519KeyId(this.publicKey);
  }
}

export class Ed25519Verifier implements ArchiveVerifier {
  readonly kind = 'ed25519';
  constructor(private readonly publicKey: KeyObject) {}

  /** A PEM public key, or a private key (its public half is used). */
  static async fromFile(file: string): Promise<Ed25519Verifier> {
    let pem: string;
    try {
      pem = await readFile(file, 'utf8');
    } catch (e) {
      throw new Error(`backup verification key ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw new Error(`backup verification key ${file}: not a PEM public or private key`);
    }
    return new Ed25519Verifier(asEd25519(key, file));
  }

  async certificateHash(): Promise<string> {
    return ed25519KeyId(this.publicKey);
  }

  async verify(data: Uint8Array, signature: Uint8Array): Promise<boolean> {
    try {
      return edVerify(null, data, this.publicKey, signature);
    } catch {
      return false; // a signature of the wrong length is simply not valid
    }
  }
}

/** Checks GOST R 34.10-2012 signatures made by an OpenSslGostSigner/RemoteHttpSigner against its certificate. */
export class GostVerifier implements ArchiveVerifier {
  readonly kind = 'openssl-gost';
  constructor(private readonly certPem: string, private readonly certHash: string, private readonly opts: OpensslOptions = {}) {}

  async certificateHash(): Promise<string> {
    return this.certHash;
  }

  verify(data: Uint8Array, signature: Uint8Array): Promise<boolean> {
    return gostVerify(data, signature, this.certPem, this.opts);
  }
}

/**
 * Refuses a verify key that is not the signing key's other half before anything is written: otherwise every copy
 * fails its verification as if the disk were damaged, and the operator looks for the fault in the wrong place.
 */
export async function checkKeyPair(signer: ArchiveSigner, verifier: ArchiveVerifier): Promise<void> {
  const [signing, verifying] = [await signer.certificateHash(), await verifier.certificateHash()];
  if (signing !== verifying) {
    throw new BackupConfigError(`backup.verifyKeyFile is not the public key of backup.signingKeyFile (signing key ${signing}, verify key ${verifying}): `
      + 'no backup could be verified; point verifyKeyFile at the signing key\'s public key, or leave it out');
  }
}
