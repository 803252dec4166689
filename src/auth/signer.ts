// Produces the ESIA client_secret material (esia.md §5.2). Implementations: OpenSSL with the gost
// engine (key and certificate from files), a remote signer over HTTP (a certified crypto service), and
// a test signer (Ed25519; only the fake ESIA accepts it).
import { createHash, createPublicKey, generateKeyPairSync, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gostSign, gostVerify, streebog256Hex, type OpensslOptions } from './gost/openssl.js';

export interface EsiaSigner {
  /** `openssl-gost`, `remote`, `test`: shown by `esia check`, never a secret. */
  readonly kind: string;
  /** Raw GOST R 34.10-2012 (256) signature of `data`, OpenSSL/ESIA byte order (64 bytes). */
  sign(data: Uint8Array): Promise<Uint8Array>;
  /** Hex Streebog-256 of the client certificate's DER, 64 upper-case hex characters (esia.md §2.3). */
  certificateHash(): Promise<string>;
}

/** DER bytes of the first certificate in a PEM text. */
export function pemToDer(pem: string): Buffer {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new Error('no PEM certificate found (expected -----BEGIN CERTIFICATE-----)');
  return Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
}

/** Streebog-256 of a PEM certificate's DER (what ESIA's calc_cert_hash prints). */
export async function certificateHashOf(certPem: string, opts: OpensslOptions = {}): Promise<string> {
  return streebog256Hex(pemToDer(certPem), opts);
}

export class OpenSslGostSigner implements EsiaSigner {
  readonly kind = 'openssl-gost';
  private hash: Promise<string> | null = null;
  constructor(private readonly files: { keyFile: string; certFile: string }, private readonly opts: OpensslOptions = {}) {}

  sign(data: Uint8Array): Promise<Uint8Array> {
    return gostSign(data, this.files.keyFile, this.opts);
  }

  certificateHash(): Promise<string> {
    this.hash ??= readFile(this.files.certFile, 'utf8').then((pem) => certificateHashOf(pem, this.opts));
    return this.hash;
  }

  /** The certificate PEM (for `esia check` and the fake ESIA's registration). */
  certificatePem(): Promise<string> {
    return readFile(this.files.certFile, 'utf8');
  }

  /** Round trip: sign and verify locally with the certificate's public key. */
  async selfCheck(data: Uint8Array): Promise<boolean> {
    const sig = await this.sign(data);
    return gostVerify(data, sig, await this.certificatePem(), this.opts);
  }
}

export interface RemoteSignerOptions {
  /** Base URL of the signing service: `POST {url}/sign` (octet-stream in, raw signature out), `GET {url}/certificate-hash`. */
  url: string;
  /** Bearer token for the service (from the environment, never from the config file itself). */
  token?: string;
  /** CryptoPro-backed services return little-endian signatures: reverse them (esia.md §2.2 step 3). */
  reverseBytes?: boolean;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class RemoteHttpSigner implements EsiaSigner {
  readonly kind = 'remote';
  constructor(private readonly o: RemoteSignerOptions) {}

  private async call(pathname: string, init: RequestInit): Promise<Response> {
    const url = new URL(pathname, this.o.url.endsWith('/') ? this.o.url : `${this.o.url}/`);
    const headers = new Headers(init.headers);
    if (this.o.token) headers.set('authorization', `Bearer ${this.o.token}`);
    const res = await (this.o.fetch ?? fetch)(url, { ...init, headers, signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000) });
    if (!res.ok) throw new Error(`remote signer ${url.origin}${url.pathname}: HTTP ${res.status}`);
    return res;
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    const res = await this.call('sign', { method: 'POST', body: Buffer.from(data), headers: { 'content-type': 'application/octet-stream' } });
    const sig = new Uint8Array(await res.arrayBuffer());
    if (sig.length !== 64) throw new Error(`remote signer returned ${sig.length} bytes, expected a 64-byte GOST R 34.10-2012 (256) signature`);
    return this.o.reverseBytes ? sig.reverse() : sig;
  }

  async certificateHash(): Promise<string> {
    const text = (await (await this.call('certificate-hash', { method: 'GET' })).text()).trim();
    if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new Error('remote signer returned a certificate hash that is not 64 hex characters');
    return text.toUpperCase();
  }
}

/**
 * Ed25519 stand-in for CI without GOST (esia.md §5.3). Only the fake ESIA accepts it; refused unless
 * running under vitest or JG_ALLOW_TEST_SIGNER=1, so a production config cannot select it by mistake.
 */
export class TestSigner implements EsiaSigner {
  readonly kind = 'test';
  readonly publicKey: KeyObject;
  private readonly privateKey: KeyObject;
  constructor(env: NodeJS.ProcessEnv = process.env) {
    if (!env.VITEST && env.JG_ALLOW_TEST_SIGNER !== '1') {
      throw new Error('the test signer is for tests and the demo only (set JG_ALLOW_TEST_SIGNER=1 to use it deliberately)');
    }
    const pair = generateKeyPairSync('ed25519');
    this.publicKey = pair.publicKey;
    this.privateKey = pair.privateKey;
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(edSign(null, data, this.privateKey));
  }

  async certificateHash(): Promise<string> {
    return testKeyHash(this.publicKey);
  }
}

export function testKeyHash(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').toUpperCase();
}

export function verifyTestSignature(data: Uint8Array, signature: Uint8Array, publicKeyPem: string): boolean {
  return edVerify(null, data, createPublicKey(publicKeyPem), signature);
}
