// Unit checks of the ESIA request pieces (esia.md §2.1–§2.3, §3.1, §7) and of our token checks.
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESIA_ERRORS, EsiaError, esiaErrorCode } from '../../src/auth/esia/errors.js';
import { esiaSignedString, esiaState, esiaTimestamp, isUuidState, parseEsiaTimestamp } from '../../src/auth/esia/params.js';
import { checkEsiaJwt, GostCertificateVerifier, Rs256CertificateVerifier, subjectOf, TokenCheckError } from '../../src/auth/esia/tokens.js';
import { generateFakeEsiaCertificate } from '../../src/auth/fake-esia/keys.js';
import { generateTestGostCertificate, gostSign, gostVerify, GostUnavailableError, runOpenssl, streebog256Hex } from '../../src/auth/gost/openssl.js';
import { certificateHashOf, OpenSslGostSigner, pemToDer, RemoteHttpSigner, TestSigner } from '../../src/auth/signer.js';
import { GOST_SKIP_REASON, HAS_GOST } from './helpers.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

describe('the signed string and timestamp (esia.md §2.2)', () => {
  it('concatenates client_id + scope + scope_org + timestamp + state + redirect_uri with no separators', () => {
    expect(esiaSignedString({
      clientId: 'TESTSYS', scope: 'openid fullname', scopeOrg: '', timestamp: '2025.09.02 13:00:29 +0300',
      state: '0f8fad5b-d9cb-469f-a165-70867728950e', redirectUri: 'https://x.test/cb',
    })).toBe('TESTSYSopenid fullname2025.09.02 13:00:29 +03000f8fad5b-d9cb-469f-a165-70867728950ehttps://x.test/cb');
  });

  it('appends the code for the token exchange, and scope_org sits between scope and timestamp', () => {
    expect(esiaSignedString({ clientId: 'A', scope: 's', scopeOrg: 'o', timestamp: 't', state: 'u', redirectUri: 'r', code: 'c' })).toBe('Asotur' + 'c');
  });

  it('formats the timestamp as yyyy.MM.dd HH:mm:ss +HHMM', () => {
    const at = new Date('2025-09-02T10:00:29Z');
    expect(esiaTimestamp(at, 180)).toBe('2025.09.02 13:00:29 +0300');
    expect(esiaTimestamp(at)).toBe('2025.09.02 10:00:29 +0000');
    expect(esiaTimestamp(new Date('2025-01-01T02:03:04Z'), -90)).toBe('2025.01.01 00:33:04 -0130');
  });

  it('parses its own timestamps back to the same instant', () => {
    const at = new Date('2025-12-31T23:59:59Z');
    expect(parseEsiaTimestamp(esiaTimestamp(at, 300))?.toISOString()).toBe(at.toISOString());
    expect(parseEsiaTimestamp('2025-09-02 13:00:29 +0300')).toBeNull();
  });
});

describe('state (esia.md §2.1)', () => {
  it('is a v4 UUID, fresh every time', () => {
    const a = esiaState();
    expect(isUuidState(a)).toBe(true);
    expect(esiaState()).not.toBe(a);
    expect(isUuidState('Xq3kP0c9aY')).toBe(false); // openid-client randomState() form
  });
});

describe('error codes (esia.md §7)', () => {
  it('pulls the ESIA code out of error_description and says what to do', () => {
    expect(esiaErrorCode("ESIA-007014: The request doesn't contain the mandatory parameter [client_certificate_hash]")).toBe('ESIA-007014');
    const e = EsiaError.from('authorize', { error: 'invalid_request', error_description: 'ESIA-007053: wrong secret' });
    expect(e.code).toBe('ESIA-007053');
    expect(e.message).toContain(ESIA_ERRORS['ESIA-007053'].action);
    expect(e.retry).toBe(false);
    expect(EsiaError.from('token', { error_description: 'ESIA-007008: busy' }).retry).toBe(true);
    expect(EsiaError.from('token', { error: 'server_error' }).code).toBeNull();
  });

  it('covers the codes the issue names', () => {
    for (const c of ['ESIA-007014', 'ESIA-007015', 'ESIA-007023', 'ESIA-007053']) expect(ESIA_ERRORS[c]).toBeDefined();
  });
});

describe.skipIf(!HAS_GOST)('GOST certificate hash and signature (OpenSSL gost engine)', () => {
  let files: { keyFile: string; certFile: string };
  beforeAll(async () => { files = await generateTestGostCertificate(await mkdtemp(path.join(tmpdir(), 'jg-gost-unit-'))); });

  it('hashes the certificate DER with Streebog-256: 64 upper-case hex, equal to `openssl dgst -md_gost12_256`', async () => {
    const pem = await readFile(files.certFile, 'utf8');
    const hash = await certificateHashOf(pem);
    expect(hash).toMatch(/^[0-9A-F]{64}$/);
    const cli = await runOpenssl(['dgst', '-engine', 'gost', '-md_gost12_256', '-r'], pemToDer(pem));
    expect(cli.stdout.toString().slice(0, 64).toUpperCase()).toBe(hash);
    expect(await new OpenSslGostSigner(files).certificateHash()).toBe(hash);
  });

  it('Streebog-256 of the empty message matches the GOST R 34.11-2012 test vector', async () => {
    expect(await streebog256Hex(new Uint8Array())).toBe('3F539A213E97C802CC229D474C6AA32A825A360B2A933A949FD925208D9CE1BB');
  });

  it('signs a raw 64-byte signature that verifies with the certificate and fails on another message', async () => {
    const data = Buffer.from('TESTSYSopenid2025.09.02 13:00:29 +0300');
    const sig = await gostSign(data, files.keyFile);
    expect(sig.length).toBe(64);
    const pem = await readFile(files.certFile, 'utf8');
    expect(await gostVerify(data, sig, pem)).toBe(true);
    expect(await gostVerify(Buffer.from('other'), sig, pem)).toBe(false);
    expect(await new OpenSslGostSigner(files).selfCheck(data)).toBe(true);
  });
});
if (!HAS_GOST) console.warn(`skipping GOST unit tests: ${GOST_SKIP_REASON}`);

describe('signers', () => {
  it('a missing openssl/engine fails with one clear line', async () => {
    const signer = new OpenSslGostSigner({ keyFile: '/nonexistent', certFile: '/nonexistent' }, { opensslPath: '/nonexistent/openssl' });
    const err = (await signer.sign(Buffer.from('x')).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(GostUnavailableError);
    expect(err.message).not.toContain('\n');
    expect(err.message).toMatch(/libengine-gost-openssl/);
  });

  it('the remote signer posts the bytes, reverses CryptoPro order when told, and reads the hash', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      if (req.url === '/signer/certificate-hash') return res.end('ab'.repeat(32));
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.end(Buffer.from(Array.from({ length: 64 }, (_, i) => i))));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/signer`;
    try {
      const signer = new RemoteHttpSigner({ url, token: 'svc-token', reverseBytes: true });
      const sig = await signer.sign(Buffer.from('data'));
      expect(sig[0]).toBe(63);
      expect(await signer.certificateHash()).toBe('AB'.repeat(32));
      expect(seen).toEqual(['POST /signer/sign Bearer svc-token', 'GET /signer/certificate-hash Bearer svc-token']);
    } finally {
      server.close();
    }
  });

  it('the test signer is refused outside tests', () => {
    expect(() => new TestSigner({})).toThrow(/tests and the demo only/);
    expect(new TestSigner({ JG_ALLOW_TEST_SIGNER: '1' }).kind).toBe('test');
  });
});

describe('token checks (esia.md §3.1, §8)', () => {
  let esia: { keyPem: string; certPem: string };
  const ISS = 'http://esia-portal1.test.gosuslugi.ru/';
  const now = () => Math.floor(Date.now() / 1000);
  const jwt = (header: Record<string, unknown>, payload: Record<string, unknown>, keyPem = esia.keyPem) => {
    const h = Buffer.from(JSON.stringify({ ver: 1, typ: 'JWT', alg: 'RS256', ...header })).toString('base64url');
    const p = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${h}.${p}.${sign('sha256', Buffer.from(`${h}.${p}`), createPrivateKey(keyPem)).toString('base64url')}`;
  };
  const idClaims = (over: Record<string, unknown> = {}) => ({
    iss: ISS, aud: 'TESTSYS', sub: 1000299654, nbf: now(), iat: now(), exp: now() + 3600,
    'urn:esia:sbj': { 'urn:esia:sbj:typ': 'P', 'urn:esia:sbj:is_tru': true, 'urn:esia:sbj:oid': 1000299654 }, ...over,
  });
  const check = (token: string, over: Partial<Parameters<typeof checkEsiaJwt>[1]> = {}) =>
    checkEsiaJwt(token, { verifier: new Rs256CertificateVerifier(esia.certPem), issuer: ISS, clientId: 'TESTSYS', sbt: 'id', ...over });
  const problem = async (p: Promise<unknown>) => ((await p.catch((e: unknown) => e)) as TokenCheckError).problem;

  beforeAll(async () => { esia = await generateFakeEsiaCertificate(); });

  it('accepts a good id_token with a numeric sub and reads the oid', async () => {
    const { claims } = await check(jwt({ sbt: 'id' }, idClaims()));
    expect(subjectOf(claims)).toEqual({ oid: '1000299654', trusted: true });
  });
  it('rejects an expired token (beyond the skew), and accepts one within it', async () => {
    expect(await problem(check(jwt({ sbt: 'id' }, idClaims({ exp: now() - 120 }))))).toBe('expired');
    await expect(check(jwt({ sbt: 'id' }, idClaims({ exp: now() - 30 })))).resolves.toBeTruthy();
  });
  it('rejects nbf in the future', async () => {
    expect(await problem(check(jwt({ sbt: 'id' }, idClaims({ nbf: now() + 600 }))))).toBe('not_yet_valid');
  });
  it('rejects the wrong audience', async () => {
    expect(await problem(check(jwt({ sbt: 'id' }, idClaims({ aud: 'OTHERSYS' }))))).toBe('audience');
  });
  it('rejects the wrong issuer (https instead of http, no trailing slash)', async () => {
    expect(await problem(check(jwt({ sbt: 'id' }, idClaims({ iss: 'https://esia-portal1.test.gosuslugi.ru' }))))).toBe('issuer');
  });
  it('rejects a bad signature (another key)', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(await problem(check(jwt({ sbt: 'id' }, idClaims(), other)))).toBe('signature');
  });
  it('rejects a tampered payload', async () => {
    const [h, , s] = jwt({ sbt: 'id' }, idClaims()).split('.');
    const forged = Buffer.from(JSON.stringify(idClaims({ sub: 1 }))).toString('base64url');
    expect(await problem(check(`${h}.${forged}.${s}`))).toBe('signature');
  });
  it('rejects an access token offered as an id_token (sbt) and an unexpected alg', async () => {
    expect(await problem(check(jwt({ sbt: 'access' }, idClaims())))).toBe('type');
    expect(await problem(check(jwt({ sbt: 'id', alg: 'GOST3410_2012_256' }, idClaims())))).toBe('alg');
  });

  it.skipIf(!HAS_GOST)('verifies a GOST-signed token through the GOST verifier', async () => {
    const files = await generateTestGostCertificate(await mkdtemp(path.join(tmpdir(), 'jg-gost-jwt-')));
    const h = Buffer.from(JSON.stringify({ ver: 1, typ: 'JWT', alg: 'GOST3410_2012_256', sbt: 'id' })).toString('base64url');
    const p = Buffer.from(JSON.stringify(idClaims())).toString('base64url');
    const sig = Buffer.from(await gostSign(Buffer.from(`${h}.${p}`), files.keyFile)).toString('base64url');
    const verifier = new GostCertificateVerifier(await readFile(files.certFile, 'utf8'));
    await expect(check(`${h}.${p}.${sig}`, { verifier })).resolves.toBeTruthy();
    expect(await problem(check(`${h}.${p}.${sig.slice(0, -4)}AAAA`, { verifier }))).toBe('signature');
  });
});

afterAll(() => undefined);
