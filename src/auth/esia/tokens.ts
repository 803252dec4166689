// Checks ESIA's JWTs ourselves (esia.md §3.1, §6.1, §8): alg pinned to what the tech portal was set to,
// signature against the ESIA certificate from the configuration (RS256 with jose, GOST through a
// verifier), `sbt` in the header, `iss` exact, `aud` = mnemonic, `exp`/`nbf`/`iat` with skew.
import { compactVerify, importX509 } from 'jose';
import { gostVerify, type OpensslOptions } from '../gost/openssl.js';

export type TokenProblem = 'format' | 'alg' | 'type' | 'signature' | 'issuer' | 'audience' | 'expired' | 'not_yet_valid' | 'subject';

export class TokenCheckError extends Error {
  constructor(readonly problem: TokenProblem, detail: string) {
    super(`ESIA token rejected (${problem}): ${detail}`);
    this.name = 'TokenCheckError';
  }
}

/** Verifies the signature of a compact JWS; implementations pin one alg. */
export interface EsiaTokenVerifier {
  readonly alg: string;
  verify(jwt: string): Promise<boolean>;
}

export class Rs256CertificateVerifier implements EsiaTokenVerifier {
  readonly alg = 'RS256';
  private key: ReturnType<typeof importX509> | null = null;
  constructor(private readonly certPem: string) {}
  async verify(jwt: string): Promise<boolean> {
    this.key ??= importX509(this.certPem, 'RS256');
    try {
      await compactVerify(jwt, await this.key, { algorithms: ['RS256'] });
      return true;
    } catch {
      return false;
    }
  }
}

/** ESIA's GOST JWT signatures are in OpenSSL byte order; `openssl dgst -verify` checks them as is (esia.md §3.2). */
export class GostCertificateVerifier implements EsiaTokenVerifier {
  readonly alg = 'GOST3410_2012_256';
  constructor(private readonly certPem: string, private readonly opts: OpensslOptions = {}) {}
  async verify(jwt: string): Promise<boolean> {
    const [h, p, s] = jwt.split('.');
    if (!h || !p || !s) return false;
    return gostVerify(Buffer.from(`${h}.${p}`, 'ascii'), Buffer.from(s, 'base64url'), this.certPem, this.opts);
  }
}

export interface JwtCheckOptions {
  verifier: EsiaTokenVerifier;
  issuer: string;
  /** Expected `aud` (id_token) or `client_id` claim (access token). */
  clientId: string;
  /** Expected header `sbt`: `id`, `access`, `authorization_code`. */
  sbt: 'id' | 'access' | 'authorization_code';
  clockSkewSeconds?: number;
  now?: Date;
}

export interface CheckedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

function decodePart(part: string | undefined, what: string): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch { /* reported below */ }
  throw new TokenCheckError('format', `the ${what} is not a JSON object`);
}

export async function checkEsiaJwt(jwt: string, o: JwtCheckOptions): Promise<CheckedJwt> {
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new TokenCheckError('format', 'not a compact JWS');
  const header = decodePart(parts[0], 'header');
  const claims = decodePart(parts[1], 'payload');
  if (header.alg !== o.verifier.alg) throw new TokenCheckError('alg', `alg ${String(header.alg)}, expected ${o.verifier.alg} (the tech portal setting)`);
  if (header.sbt !== undefined && header.sbt !== o.sbt) throw new TokenCheckError('type', `sbt ${String(header.sbt)}, expected ${o.sbt}`);
  if (o.sbt === 'id' && header.sbt === undefined) throw new TokenCheckError('type', 'no sbt header; expected id');
  if (!(await o.verifier.verify(jwt))) throw new TokenCheckError('signature', 'the signature does not match the configured ESIA certificate');
  if (claims.iss !== o.issuer) throw new TokenCheckError('issuer', `iss is not the configured issuer ${o.issuer}`);
  if (o.sbt === 'id') {
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(o.clientId)) throw new TokenCheckError('audience', 'aud is not this system\'s mnemonic');
  } else if (o.sbt === 'access' && claims.client_id !== undefined && claims.client_id !== o.clientId) {
    throw new TokenCheckError('audience', 'client_id is not this system\'s mnemonic');
  }
  const now = Math.floor((o.now ?? new Date()).getTime() / 1000);
  const skew = o.clockSkewSeconds ?? 60;
  if (typeof claims.exp !== 'number') throw new TokenCheckError('expired', 'no exp claim');
  if (claims.exp + skew <= now) throw new TokenCheckError('expired', 'exp is in the past');
  if (typeof claims.nbf === 'number' && claims.nbf - skew > now) throw new TokenCheckError('not_yet_valid', 'nbf is in the future');
  if (typeof claims.iat === 'number' && claims.iat - skew > now) throw new TokenCheckError('not_yet_valid', 'iat is in the future');
  return { header, claims };
}

export interface EsiaSubject {
  /** The person's oid as a decimal string. */
  oid: string;
  /** `urn:esia:sbj:is_tru`: a confirmed account (only those carry verified SNILS and children). */
  trusted: boolean;
}

/** oid from `urn:esia:sbj.urn:esia:sbj:oid`, falling back to `sub` (numeric in ESIA; esia.md §6.1). */
export function subjectOf(idClaims: Record<string, unknown>): EsiaSubject {
  const sbj = (idClaims['urn:esia:sbj'] ?? {}) as Record<string, unknown>;
  const raw = sbj['urn:esia:sbj:oid'] ?? idClaims.sub;
  const oid = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : '';
  if (!/^\d+$/.test(oid)) throw new TokenCheckError('subject', 'no numeric oid in the id_token');
  return { oid, trusted: sbj['urn:esia:sbj:is_tru'] === true };
}

/** Cross-checks the access token's `urn:esia:sbj_id` against the id_token oid (esia.md §6.1). */
export function accessTokenSubject(accessClaims: Record<string, unknown>): string | null {
  const v = accessClaims['urn:esia:sbj_id'];
  return typeof v === 'number' ? String(v) : typeof v === 'string' ? v : null;
}
