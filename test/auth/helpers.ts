// Shared setup for the login tests: a TEST GOST key and certificate generated per run (never a real
// one), the fake ESIA's RS256 certificate, a synthetic family and an ESIA client wired to them.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EsiaClient, type EsiaClientOptions } from '../../src/auth/esia/client.js';
import { Rs256CertificateVerifier } from '../../src/auth/esia/tokens.js';
import { FakeEsia, generateFakeEsiaCertificate, gostClientKey, type FakeEsiaAccount, type FakeEsiaOptions } from '../../src/auth/fake-esia/index.js';
import { generateTestGostCertificate, gostAvailable } from '../../src/auth/gost/openssl.js';
import { OpenSslGostSigner } from '../../src/auth/signer.js';
import { DEMO_PARENT } from '../../src/web/demo-school.js';

export const HAS_GOST = await gostAvailable();
export const GOST_SKIP_REASON = 'the OpenSSL gost engine (libengine-gost-openssl) is not installed: run `bash scripts/setup.sh gost`';

export const CLIENT_ID = 'TESTSYS';

/** A parent with two children in the synthetic school (SNILS valid by checksum, all synthetic). */
export const PARENT: FakeEsiaAccount = DEMO_PARENT;

export interface EsiaRig {
  fake: FakeEsia;
  signer: OpenSslGostSigner;
  gostCertPem: string;
  esiaCertPem: string;
  dir: string;
  client(overrides?: Partial<EsiaClientOptions>): EsiaClient;
}

export async function esiaRig(opts: { accounts?: FakeEsiaAccount[]; redirectUris?: string[]; fake?: Partial<FakeEsiaOptions> } = {}): Promise<EsiaRig> {
  const dir = await mkdtemp(path.join(tmpdir(), 'jg-esia-test-'));
  const files = await generateTestGostCertificate(dir);
  const signer = new OpenSslGostSigner(files);
  const gostCertPem = await readFile(files.certFile, 'utf8');
  const esia = await generateFakeEsiaCertificate();
  const redirectUris = opts.redirectUris ?? ['https://dnevnik.example.test/auth/esia/callback'];
  const fake = new FakeEsia({
    clientId: CLIENT_ID, redirectUris, clientKey: await gostClientKey(gostCertPem), tokenKeyPem: esia.keyPem,
    accounts: opts.accounts ?? [PARENT], autoLoginOid: (opts.accounts ?? [PARENT])[0].oid, ...opts.fake,
  });
  await fake.start();
  return {
    fake, signer, gostCertPem, esiaCertPem: esia.certPem, dir,
    client: (overrides = {}) => new EsiaClient({
      baseUrl: fake.baseUrl, issuer: fake.issuer, clientId: CLIENT_ID, redirectUri: redirectUris[0], scope: 'openid fullname kid_fullname kid_birthdate kid_snils',
      accessType: 'offline', signer, verifier: new Rs256CertificateVerifier(esia.certPem), allowInsecureHttp: true,
      logoutRedirectUrl: 'https://dnevnik.example.test/', ...overrides,
    }),
  };
}

/** Follows the v2/ac redirect like a browser would and returns the callback query. */
export async function followAuthorize(url: URL): Promise<URLSearchParams> {
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
  return new URL(location).searchParams;
}

/** Logs in at the fake ESIA's account page as `oid` (a rig without autoLoginOid), like a browser; the callback query. */
export async function loginAtFakeAs(url: URL, oid: string): Promise<URLSearchParams> {
  const page = await fetch(url, { redirect: 'manual' });
  const tx = /name="tx" value="([^"]+)"/.exec(await page.text())?.[1];
  if (page.status !== 200 || !tx) throw new Error(`authorize answered ${page.status} without the account page`);
  const res = await fetch(new URL('/fake/login', url), {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ tx, oid, decision: 'allow' }).toString(), redirect: 'manual',
  });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`the account page answered ${res.status}`);
  return new URL(location).searchParams;
}
