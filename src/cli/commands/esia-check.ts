// `journal-gateway esia check --config FILE`: what an operator runs before registering the system on
// the ESIA tech portal — the key and certificate load, the certificate's Streebog-256 hash (the value
// ESIA compares with client_certificate_hash), a local sign/verify round trip, the ESIA certificate for
// token checks, and the settings ESIA is strict about. Nothing is sent to ESIA.
import { readFile } from 'node:fs/promises';
import { importX509 } from 'jose';
import { esiaSignedString, esiaState, esiaTimestamp } from '../../auth/esia/params.js';
import { signerFromConfig } from '../../auth/esia/from-config.js';
import { ensureGostEngine, gostVerify, runOpenssl } from '../../auth/gost/openssl.js';
import { OpenSslGostSigner } from '../../auth/signer.js';
import { loadCheckedConfig } from '../../config/check-platforms.js';

type Line = { ok: boolean | 'warn'; text: string };

export async function run(opts: { config: string }): Promise<number> {
  const cfg = loadCheckedConfig(opts.config);
  const esia = cfg.auth?.esia;
  if (!esia) throw new Error(`${opts.config}: no auth.esia section (see docs/login.md)`);
  const lines: Line[] = [];
  const add = (ok: Line['ok'], text: string) => lines.push({ ok, text });
  const step = async (what: string, f: () => Promise<string | void>) => {
    try {
      const detail = await f();
      add(true, `${what}${detail ? `: ${detail}` : ''}`);
      return true;
    } catch (e) {
      add(false, `${what}: ${(e as Error).message}`);
      return false;
    }
  };

  add(true, `mnemonic (client_id): ${esia.clientId}; ESIA ${esia.baseUrl}, issuer ${esia.issuer}`);
  if (!new URL(esia.redirectUri).protocol.startsWith('https') && !esia.allowInsecureHttp) add('warn', `redirect_uri ${esia.redirectUri} is not https`);
  else add(true, `redirect_uri ${esia.redirectUri} (register exactly this on the tech portal; ESIA-007023 otherwise)`);
  if (!esia.scope.split(' ').includes('openid')) add(false, 'scope lacks openid: no id_token, no login');
  else add(true, `scope "${esia.scope}"${esia.scope.includes('kid_snils') ? '' : ' (no kid_snils: children can only be proposed for review)'}`);
  add(true, `timestamp format ${esiaTimestamp(new Date(), esia.timestampOffsetMinutes)}`);

  const signer = signerFromConfig(esia.signer);
  add(true, `signer: ${signer.kind}`);
  if (esia.signer.kind === 'test') add('warn', 'the test signer is for the fake ESIA only; real ESIA rejects it (ESIA-007053)');
  if (esia.signer.kind === 'openssl-gost') {
    const files = esia.signer;
    const engineOk = await step('OpenSSL gost engine', async () => { await ensureGostEngine(files.opensslPath ? { opensslPath: files.opensslPath } : {}); return 'loaded'; });
    await step('private key file', async () => {
      const text = await readFile(files.keyFile, 'utf8');
      if (!/-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(text)) throw new Error('not a PEM private key');
      return files.keyFile;
    });
    if (engineOk) {
      await step('client certificate', async () => {
        const r = await runOpenssl(['x509', '-engine', 'gost', '-in', files.certFile, '-noout', '-subject', '-enddate', '-text']);
        if (r.code !== 0) throw new Error(r.stderr.split('\n').find((l) => l && !l.startsWith('Engine'))?.trim() ?? 'unreadable');
        const text = r.stdout.toString();
        const alg = /Public Key Algorithm: (.+)/.exec(text)?.[1]?.trim() ?? '?';
        const end = /notAfter=(.+)/.exec(text)?.[1]?.trim();
        if (!/GOST R 34\.10-2012 with 256|gost2012_256/i.test(alg)) throw new Error(`public key algorithm ${alg}; ESIA needs GOST R 34.10-2012 (256)`);
        if (end && new Date(end).getTime() < Date.now()) throw new Error(`expired on ${end}`);
        if (end && new Date(end).getTime() < Date.now() + 30 * 86_400_000) add('warn', `client certificate expires on ${end}: renew and re-bind it on the tech portal`);
        return `${alg}, valid until ${end ?? '?'}`;
      });
    }
  }
  await step('certificate hash (client_certificate_hash, Streebog-256 of the DER)', async () => signer.certificateHash());
  await step('signature round trip', async () => {
    const message = esiaSignedString({ clientId: esia.clientId, scope: esia.scope, scopeOrg: esia.scopeOrg, timestamp: esiaTimestamp(), state: esiaState(), redirectUri: esia.redirectUri });
    const data = Buffer.from(message, 'utf8');
    const sig = await signer.sign(data);
    if (sig.length !== 64) throw new Error(`signature is ${sig.length} bytes, expected 64`);
    if (signer instanceof OpenSslGostSigner) {
      if (!(await gostVerify(data, sig, await signer.certificatePem()))) throw new Error('the signature does not verify with the certificate: key and certificate do not belong together');
      return '64-byte GOST R 34.10-2012 signature verifies with the certificate';
    }
    return '64-byte signature (verify it on the ESIA test contour)';
  });
  await step(`ESIA certificate for ${esia.tokenAlg} token checks`, async () => {
    const pem = await readFile(esia.esiaCertificateFile, 'utf8');
    if (esia.tokenAlg === 'RS256') await importX509(pem, 'RS256');
    else if (!/BEGIN CERTIFICATE/.test(pem)) throw new Error('not a PEM certificate');
    return esia.esiaCertificateFile;
  });

  for (const l of lines) process.stdout.write(`${l.ok === true ? '✓' : l.ok === 'warn' ? '!' : '✗'} ${l.text}\n`);
  const failed = lines.filter((l) => l.ok === false).length;
  process.stdout.write(failed ? `\n${failed} check(s) failed\n` : '\nready to register: give the tech portal the certificate; its hash is shown above\n');
  return failed ? 1 : 0;
}
