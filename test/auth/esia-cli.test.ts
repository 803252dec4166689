// `journal-gateway esia url` and `esia check` on a configuration with a TEST GOST key, run as the
// operator would (the CLI in a child process).
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFakeEsiaCertificate } from '../../src/auth/fake-esia/keys.js';
import { generateTestGostCertificate } from '../../src/auth/gost/openssl.js';
import { GOST_SKIP_REASON, HAS_GOST } from './helpers.js';

const exec = promisify(execFile);
const cli = (...args: string[]) => exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, LOG_PRETTY: '0' } })
  .then((r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }))
  .catch((e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));

if (!HAS_GOST) console.warn(`skipping the esia CLI tests: ${GOST_SKIP_REASON}`);

describe.skipIf(!HAS_GOST)('esia url / esia check', () => {
  let dir: string;
  const config = (signer: string) => `region: { id: test, name: Тестовый регион }
auth:
  esia:
    baseUrl: https://esia-portal1.test.gosuslugi.ru
    issuer: http://esia-portal1.test.gosuslugi.ru/
    clientId: TESTSYS
    redirectUri: https://dnevnik.example.test/auth/esia/callback
    logoutRedirectUrl: https://dnevnik.example.test/
    timestampOffsetMinutes: 180
    esiaCertificateFile: ${dir}/esia.cert.pem
    signer: ${signer}
`;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'jg-esia-cli-'));
    await generateTestGostCertificate(dir);
    await writeFile(path.join(dir, 'esia.cert.pem'), (await generateFakeEsiaCertificate()).certPem);
    await writeFile(path.join(dir, 'good.yaml'), config(`{ kind: openssl-gost, keyFile: ${dir}/test-gost.key.pem, certFile: ${dir}/test-gost.cert.pem }`));
    await writeFile(path.join(dir, 'mismatch.yaml'), config(`{ kind: openssl-gost, keyFile: ${dir}/other/test-gost.key.pem, certFile: ${dir}/test-gost.cert.pem }`));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(dir, 'other'));
    await generateTestGostCertificate(path.join(dir, 'other'));
  });

  it('esia url prints the v2/ac URL with every parameter and the signed string', async () => {
    const r = await cli('esia', 'url', '--config', path.join(dir, 'good.yaml'));
    expect(r.code).toBe(0);
    const url = new URL(r.stdout.split('\n')[0]);
    expect(url.origin + url.pathname).toBe('https://esia-portal1.test.gosuslugi.ru/aas/oauth2/v2/ac');
    for (const p of ['client_id', 'scope', 'scope_org', 'timestamp', 'state', 'redirect_uri', 'access_type', 'client_secret', 'client_certificate_hash', 'response_type']) {
      expect(url.searchParams.has(p)).toBe(true);
    }
    expect(url.searchParams.get('timestamp')).toMatch(/^\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}:\d{2} \+0300$/);
    expect(url.searchParams.get('client_secret')).toMatch(/^[\w-]{86}$/);
    expect(url.searchParams.get('client_certificate_hash')).toMatch(/^[0-9A-F]{64}$/);
    expect(r.stdout).toContain(`signed string`);
    expect(r.stdout).toContain(`TESTSYSopenid fullname kid_fullname kid_birthdate kid_snils${url.searchParams.get('timestamp')}${url.searchParams.get('state')}https://dnevnik.example.test/auth/esia/callback`);
    expect(r.stdout).toContain('/idp/ext/Logout?client_id=TESTSYS&redirect_url=');
  });

  it('esia check passes on a matching key and certificate and prints the certificate hash', async () => {
    const r = await cli('esia', 'check', '--config', path.join(dir, 'good.yaml'));
    expect(r.stdout).toMatch(/✓ certificate hash \(client_certificate_hash, Streebog-256 of the DER\): [0-9A-F]{64}/);
    expect(r.stdout).toContain('✓ signature round trip');
    expect(r.stdout).toContain('✓ client certificate: GOST R 34.10-2012');
    expect(r.code).toBe(0);
  });

  it('esia check fails when the key does not belong to the certificate', async () => {
    const r = await cli('esia', 'check', '--config', path.join(dir, 'mismatch.yaml'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ signature round trip: .*do not belong together/);
  });
});
