// GOST R 34.10-2012 / 34.11-2012 through the `openssl` command with Debian's gost engine
// (libengine-gost-openssl; esia.md §5.1 option B). A process per call: simple and robust, and the key
// stays in a file the operator controls. Not a certified СКЗИ — production uses CryptoPro or a remote
// signer behind the same interface (esia.md §5.1 legal caveat).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export class GostUnavailableError extends Error {
  constructor(detail: string) {
    super(`GOST signing needs the OpenSSL gost engine (Debian package libengine-gost-openssl; run \`bash scripts/setup.sh gost\`): ${detail}`);
    this.name = 'GostUnavailableError';
  }
}

export interface OpensslOptions {
  /** The openssl binary (default `openssl` on PATH). */
  opensslPath?: string;
}

export interface RunResult { stdout: Buffer; stderr: string; code: number }

export function runOpenssl(args: string[], input?: Uint8Array, opts: OpensslOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(opts.opensslPath ?? 'openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new GostUnavailableError(`the openssl binary was not found (${opts.opensslPath ?? 'openssl'})`) : e));
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code: code ?? 1 }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ? Buffer.from(input) : undefined);
  });
}

/** Turns an openssl failure into one line; a missing engine becomes GostUnavailableError. */
function failure(what: string, r: RunResult): Error {
  const lines = r.stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^Engine "gost" set\.$/.test(l));
  const text = lines.join(' ');
  if (/invalid engine|could not load the shared library|engine.*not found|unknown option.*engine|dso support routines/i.test(text)
    || /unknown (message )?digest|md_gost12_256/i.test(text)) {
    return new GostUnavailableError(`openssl: ${lines[0] ?? 'engine "gost" not available'}`);
  }
  return new Error(`openssl ${what} failed (exit ${r.code}): ${lines[0] ?? 'no message'}`);
}

let engineProbe: Promise<void> | null = null;

/** Resolves when `openssl engine gost` loads; rejects with GostUnavailableError otherwise (cached). */
export function ensureGostEngine(opts: OpensslOptions = {}): Promise<void> {
  if (opts.opensslPath) return probe(opts);
  engineProbe ??= probe(opts);
  return engineProbe;
}

async function probe(opts: OpensslOptions): Promise<void> {
  const r = await runOpenssl(['engine', 'gost', '-t'], undefined, opts);
  if (r.code !== 0 || !/available/i.test(r.stdout.toString())) {
    const line = r.stderr.split('\n').map((l) => l.trim()).find(Boolean);
    throw new GostUnavailableError(`openssl cannot load engine "gost"${line ? ` (${line})` : ''}`);
  }
}

/** Is the gost engine usable here? For tests that must say why they skip. */
export async function gostAvailable(opts: OpensslOptions = {}): Promise<boolean> {
  try {
    await ensureGostEngine(opts);
    return true;
  } catch {
    return false;
  }
}

/** Streebog-256 (GOST R 34.11-2012) of `data`, hex upper-case. */
export async function streebog256Hex(data: Uint8Array, opts: OpensslOptions = {}): Promise<string> {
  await ensureGostEngine(opts);
  const r = await runOpenssl(['dgst', '-engine', 'gost', '-md_gost12_256', '-r'], data, opts);
  if (r.code !== 0) throw failure('dgst', r);
  const hex = /^([0-9a-f]{64})/i.exec(r.stdout.toString('utf8').trim());
  if (!hex) throw new Error('openssl dgst printed no Streebog-256 digest');
  return hex[1].toUpperCase();
}

/** Raw 64-byte GOST R 34.10-2012 (256) signature with Streebog-256, in OpenSSL (= ESIA) byte order. */
export async function gostSign(data: Uint8Array, keyFile: string, opts: OpensslOptions = {}): Promise<Uint8Array> {
  await ensureGostEngine(opts);
  const r = await runOpenssl(['dgst', '-engine', 'gost', '-md_gost12_256', '-sign', keyFile], data, opts);
  if (r.code !== 0) throw failure('sign', r);
  if (r.stdout.length !== 64) throw new Error(`openssl sign returned ${r.stdout.length} bytes, expected a 64-byte GOST R 34.10-2012 (256) signature`);
  return new Uint8Array(r.stdout);
}

/** Verifies a raw GOST signature against the public key of a PEM certificate. */
export async function gostVerify(data: Uint8Array, signature: Uint8Array, certPem: string, opts: OpensslOptions = {}): Promise<boolean> {
  await ensureGostEngine(opts);
  const dir = await mkdtemp(path.join(tmpdir(), 'jg-gost-'));
  try {
    const certFile = path.join(dir, 'cert.pem');
    const pubFile = path.join(dir, 'pub.pem');
    const sigFile = path.join(dir, 'sig.bin');
    await writeFile(certFile, certPem);
    await writeFile(sigFile, signature);
    const pub = await runOpenssl(['x509', '-engine', 'gost', '-in', certFile, '-pubkey', '-noout', '-out', pubFile], undefined, opts);
    if (pub.code !== 0) throw failure('x509 -pubkey', pub);
    const r = await runOpenssl(['dgst', '-engine', 'gost', '-md_gost12_256', '-verify', pubFile, '-signature', sigFile], data, opts);
    return r.code === 0 && /Verified OK/.test(r.stdout.toString());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Writes a TEST-ONLY GOST R 34.10-2012 (256, paramset A) key and self-signed certificate to `dir`
 * (`test-gost.key.pem`, `test-gost.cert.pem`). For tests and the demo; never register it anywhere.
 */
export async function generateTestGostCertificate(dir: string, opts: OpensslOptions & { subject?: string } = {}): Promise<{ keyFile: string; certFile: string }> {
  await ensureGostEngine(opts);
  const keyFile = path.join(dir, 'test-gost.key.pem');
  const certFile = path.join(dir, 'test-gost.cert.pem');
  const key = await runOpenssl(['genpkey', '-engine', 'gost', '-algorithm', 'gost2012_256', '-pkeyopt', 'paramset:A', '-out', keyFile], undefined, opts);
  if (key.code !== 0) throw failure('genpkey', key);
  const cert = await runOpenssl(['req', '-engine', 'gost', '-x509', '-new', '-key', keyFile, '-md_gost12_256', '-days', '30',
    '-subj', opts.subject ?? '/CN=journal-gateway TEST ONLY (synthetic, not for ESIA)/O=journal-gateway tests', '-out', certFile], undefined, opts);
  if (cert.code !== 0) throw failure('req -x509', cert);
  return { keyFile, certFile };
}
