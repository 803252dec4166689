// Staff passwords are kept only as scrypt hashes (node:crypto, RFC 7914) in one self-describing string:
//   scrypt$<N>$<r>$<p>$<salt, base64url>$<key, base64url>
// The parameters travel with the hash, so raising the cost later does not invalidate existing accounts.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, opts, (e, key) => (e ? reject(e) : resolve(key))));

/** OWASP's scrypt floor is N=2^17 with r=8, p=1; 2^15 keeps a login under ~100 ms on a small VM. */
export const DEFAULT_SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
export const MIN_PASSWORD_LENGTH = 12;

export interface ParsedHash { N: number; r: number; p: number; salt: Buffer; key: Buffer }

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Parses a stored hash; the error says what is malformed, never echoes the value (it is a secret too). */
export function parsePasswordHash(encoded: string): ParsedHash {
  const parts = encoded.trim().split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    throw new Error('not a scrypt password hash: expected scrypt$N$r$p$salt$key (make one with `journal-gateway staff hash-password`)');
  }
  const [, n, r, p, salt, key] = parts;
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  if (!Number.isInteger(N) || N < 2 ** 14 || N > 2 ** 20 || (N & (N - 1)) !== 0) throw new Error('scrypt password hash: N must be a power of two between 16384 and 1048576');
  if (!Number.isInteger(R) || R < 1 || R > 32 || !Number.isInteger(P) || P < 1 || P > 16) throw new Error('scrypt password hash: r must be 1…32 and p 1…16');
  if (!B64URL.test(salt) || !B64URL.test(key)) throw new Error('scrypt password hash: salt and key must be base64url');
  const parsed = { N, r: R, p: P, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
  if (parsed.salt.length < 16) throw new Error('scrypt password hash: the salt is shorter than 16 bytes');
  if (parsed.key.length < 32) throw new Error('scrypt password hash: the key is shorter than 32 bytes');
  return parsed;
}

const maxmem = (N: number, r: number) => 128 * N * r * 2;

export async function hashPassword(password: string, params: { N: number; r: number; p: number } = DEFAULT_SCRYPT): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`the password is too short (${password.length} characters; at least ${MIN_PASSWORD_LENGTH})`);
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...params, maxmem: maxmem(params.N, params.r) });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Constant-time comparison of the derived key; the work is the same for a right and a wrong password. */
export async function verifyPassword(password: string, hash: ParsedHash): Promise<boolean> {
  const key = await scrypt(password.normalize('NFC'), hash.salt, hash.key.length, { N: hash.N, r: hash.r, p: hash.p, maxmem: maxmem(hash.N, hash.r) });
  return timingSafeEqual(key, hash.key);
}
