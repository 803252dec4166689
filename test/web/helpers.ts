// A diary server on a PGlite memory store holding the synthetic school, logged in through the fake
// ESIA with a TEST GOST key; every log line of the gateway is captured for the security test.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '../../src/infra/logger.js';
import { openStore, type CanonicalStore } from '../../src/store/index.js';
import { demoSchoolRecords } from '../../src/web/demo-school.js';
import { buildDiaryServer } from '../../src/web/server.js';
import { esiaRig, type EsiaRig } from '../auth/helpers.js';
import { esiaProxy, type EsiaProxy } from '../auth/esia-proxy.js';

export interface DiaryRig {
  rig: EsiaRig;
  store: CanonicalStore;
  app: FastifyInstance;
  baseUrl: string;
  logs: string[];
  /** With `proxy: true`: the diary reaches the fake ESIA through it (esia-proxy.ts), to make ESIA misbehave. */
  proxy?: EsiaProxy;
  close(): Promise<void>;
}

export async function diaryRig(opts: { autoLogin?: boolean; proxy?: boolean } = {}): Promise<DiaryRig> {
  const redirectUris: string[] = [];
  const rig = await esiaRig({ redirectUris, fake: opts.autoLogin === false ? { autoLoginOid: undefined } : {} });
  const proxy = opts.proxy ? await esiaProxy(() => rig.fake.baseUrl) : undefined;
  const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
  await store.upsertMany(demoSchoolRecords(), { runId: 'load' });
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: new Writable({ write(chunk, _e, cb) { logs.push(String(chunk)); cb(); } }) });
  // The port is known only after listen: reserve it by listening first, then register the redirect URI.
  let client = rig.client({ redirectUri: 'http://placeholder.invalid/' });
  const holder = { client };
  const { app } = buildDiaryServer({ store, logger, secure: false, esia: { get client() { return holder.client; } } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  redirectUris.push(`${baseUrl}/auth/esia/callback`);
  client = rig.client({ redirectUri: `${baseUrl}/auth/esia/callback`, logoutRedirectUrl: `${baseUrl}/`, accessType: 'online', ...(proxy ? { baseUrl: proxy.baseUrl } : {}) });
  holder.client = client;
  return {
    rig, store, app, baseUrl, logs, ...(proxy ? { proxy } : {}),
    async close() {
      await app.close();
      await proxy?.close();
      await rig.fake.stop();
      await store.close();
    },
  };
}
