// `journal-gateway serve --config FILE`: the parents' diary over the configured store, with ESIA and/or
// generic OpenID Connect login. `--demo` runs it self-contained: the synthetic school in a memory store,
// a fake ESIA on 127.0.0.1 and a TEST GOST key generated for this run (nothing real anywhere).
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebConfig } from '../../auth/config.js';
import { esiaClientFromConfig } from '../../auth/esia/from-config.js';
import { EsiaClient } from '../../auth/esia/client.js';
import { Rs256CertificateVerifier } from '../../auth/esia/tokens.js';
import { FakeEsia, generateFakeEsiaCertificate, gostClientKey, testClientKey } from '../../auth/fake-esia/index.js';
import { generateTestGostCertificate, gostAvailable } from '../../auth/gost/openssl.js';
import { GenericOidcLogin } from '../../auth/oidc/generic.js';
import { OpenSslGostSigner, TestSigner, type EsiaSigner } from '../../auth/signer.js';
import { loadCheckedConfig } from '../../config/check-platforms.js';
import { createLogger } from '../../infra/logger.js';
import { sharedRedisUrl } from '../../infra/redis-service.js';
import { openOps, staffTokenFrom } from '../../ops/wire.js';
import { registerOpsRoutes } from '../../ops/routes.js';
import { openConfiguredStore } from '../../jobs/job-context.js';
import { openStore } from '../../store/index.js';
import { DEMO_PARENT, demoSchoolRecords } from '../../web/demo-school.js';
import { buildDiaryServer } from '../../web/server.js';
import { StaffDirectory, registerStaff } from '../../web/staff/index.js';
import { UsageError } from '../../infra/operator-errors.js';
import { trustProxyWarning } from '../../web/trust-proxy.js';
import { parsePort } from '../options.js';
import { listenOrClose } from '../listen.js';
import { cookiesSecure } from '../../web/secure-cookies.js';

export async function run(opts: { config?: string; demo?: boolean; port?: string; host?: string; prefix?: string }): Promise<number> {
  const cfg = opts.config ? loadCheckedConfig(opts.config) : undefined;
  const web: WebConfig = cfg?.web ?? WebConfig.parse({});
  const host = opts.host ?? web.host;
  const port = opts.port !== undefined ? parsePort('--port', opts.port) : web.port; // checked before anything opens
  const logger = createLogger({ level: cfg?.logging.level, pretty: cfg?.logging.pretty });

  if (opts.demo) return demo(host, port, logger);
  if (!cfg) throw new UsageError('serve needs --config FILE (or --demo)');
  if (!cfg.auth?.esia && !cfg.auth?.oidc) throw new Error(`${opts.config}: no auth.esia or auth.oidc section: parents could not log in (see docs/login.md)`);
  const staffToken = staffTokenFrom(cfg); // a named but empty or short token stops the start, before anything opens
  const staff = StaffDirectory.fromConfig(cfg); // so does a staff account whose hash is missing or malformed
  const store = await openConfiguredStore(cfg);
  const esia = cfg.auth.esia ? { client: await esiaClientFromConfig(cfg.auth.esia), requireTrustedAccount: cfg.auth.esia.requireTrustedAccount } : undefined;
  const oidcCfg = cfg.auth.oidc;
  const oidcLogin = oidcCfg ? GenericOidcLogin.deferred({
    issuer: oidcCfg.issuer, clientId: oidcCfg.clientId, redirectUri: oidcCfg.redirectUri, scope: oidcCfg.scope, allowInsecureHttp: oidcCfg.allowInsecureHttp,
    ...(oidcCfg.clientSecretEnv && process.env[oidcCfg.clientSecretEnv] ? { clientSecret: process.env[oidcCfg.clientSecretEnv] } : {}),
  }) : undefined;
  // The provider down at the start does not stop the diary (parents log in with ESIA meanwhile): said once here, its
  // login answers «Сервис входа сейчас не отвечает» and discovers again at the next try.
  await oidcLogin?.configuration().catch((e: unknown) => logger.warn({ issuer: oidcCfg!.issuer, error: (e as Error).name, code: (e as { code?: unknown }).code },
    'auth.oidc: the OpenID provider\'s discovery failed; its login is retried at each parent\'s attempt'));
  const oidc = oidcCfg && oidcLogin ? {
    login: oidcLogin,
    ...(oidcCfg.childrenClaim ? { childrenClaim: oidcCfg.childrenClaim } : {}),
    ...(web.publicUrl ? { postLogoutRedirectUri: web.publicUrl } : {}),
  } : undefined;
  const secure = cookiesSecure(web.publicUrl, [cfg.auth.esia?.redirectUri, oidcCfg?.redirectUri]);
  const { app } = buildDiaryServer({ store, logger, secure, publicUrl: web.publicUrl, trustProxy: web.trustProxy, sessionTtlMinutes: web.sessionTtlMinutes, ...(esia ? { esia } : {}), ...(oidc ? { oidc } : {}) });
  // /readyz, /metrics and /status (staff token) next to the diary's /healthz (docs/operations.md).
  // The workers' Redis, for the status page and the queue dashboard; the diary runs without it (never a private one:
  // it would show queues no worker uses).
  const ops = openOps(cfg, { redisUrl: sharedRedisUrl(cfg.redis.url), prefix: opts.prefix ?? 'jg', store, ...(staffToken ? { staffToken } : {}) });
  registerOpsRoutes(app, ops.routes);
  if (!staffToken) logger.warn('no web.staffTokenEnv: /metrics and /status stay closed (403)');
  const proxyWarning = trustProxyWarning(web.trustProxy);
  if (proxyWarning) logger.warn(proxyWarning);
  if (staff.size) {
    await registerStaff(app, {
      directory: staff, store, schools: cfg.schools, logger, secure, sessionTtlMinutes: web.sessionTtlMinutes,
      ...(ops.routes.status ? { status: ops.routes.status } : {}), queues: [...ops.queues.values()],
    });
  } else {
    logger.warn('no web.staff accounts: the staff pages (/staff: reports, status, queues) are off');
  }
  await listenOrClose(app, host, port, async () => {
    await app.close();
    await ops.close();
    await store.close();
  });
  logger.info({ url: `http://${host}:${(app.server.address() as { port: number }).port}`, esia: !!esia, oidc: !!oidc, secure }, 'diary listening');
  await waitForSignal();
  await app.close();
  await ops.close();
  await store.close();
  return 0;
}

async function demo(host: string, port: number, logger: ReturnType<typeof createLogger>): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'jg-demo-esia-'));
  let signer: EsiaSigner;
  let clientKey;
  if (await gostAvailable()) {
    const files = await generateTestGostCertificate(dir);
    signer = new OpenSslGostSigner(files);
    clientKey = await gostClientKey(await readFile(files.certFile, 'utf8'));
  } else {
    process.stderr.write('serve --demo: the OpenSSL gost engine is not installed; using the Ed25519 test signer (bash scripts/setup.sh gost for GOST)\n');
    const t = new TestSigner({ ...process.env, JG_ALLOW_TEST_SIGNER: '1' });
    signer = t;
    clientKey = testClientKey(t);
  }
  const esiaCert = await generateFakeEsiaCertificate();
  await writeFile(path.join(dir, 'fake-esia.cert.pem'), esiaCert.certPem);
  const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  await store.upsertMany(demoSchoolRecords(), { runId: 'demo' });
  const redirectUris: string[] = [];
  const fake = new FakeEsia({ clientId: 'JGDEMO', redirectUris, clientKey, tokenKeyPem: esiaCert.keyPem, accounts: [DEMO_PARENT] });
  await fake.start();
  const holder: { client?: EsiaClient } = {};
  const { app } = buildDiaryServer({ store, logger, secure: false, esia: { get client() { return holder.client!; } } });
  await listenOrClose(app, host, port, async () => {
    await app.close();
    await fake.stop();
    await store.close();
  });
  const base = `http://${host}:${(app.server.address() as { port: number }).port}`;
  redirectUris.push(`${base}/auth/esia/callback`);
  holder.client = new EsiaClient({
    baseUrl: fake.baseUrl, issuer: fake.issuer, clientId: 'JGDEMO', redirectUri: `${base}/auth/esia/callback`, scope: 'openid fullname kid_fullname kid_birthdate kid_snils',
    signer, verifier: new Rs256CertificateVerifier(esiaCert.certPem), allowInsecureHttp: true, logoutRedirectUrl: `${base}/`,
  });
  process.stdout.write(`${JSON.stringify({ diary: base, fakeEsia: fake.baseUrl, signer: signer.kind, note: 'synthetic demo: log in as the only fake ESIA account' })}\n`);
  await waitForSignal();
  await app.close();
  await fake.stop();
  await store.close();
  return 0;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
