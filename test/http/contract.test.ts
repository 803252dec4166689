import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  CapabilityNotSupportedError, PLATFORMS, PayloadSchemaError, createConnectorFor, defineConnector, getPlatform, mapBatch,
  parseItems, parsePayload, payloadHash, provenanceFor, registerPlatform, requireCapability, sourceRef, unregisterPlatform,
  withConnector, type Connector, type MapContext, type PlatformEntry,
} from '../../src/connectors/index.js';

const eljurLike = defineConnector({
  platform: 'toy',
  system: 'eljur',
  title: 'Игрушечная платформа',
  capabilities: ['roster.read', 'journal.read'],
  authKinds: ['credentials'],
  configSchema: z.object({ baseUrl: z.url(), vendor: z.string() }),
  routes: [{ name: 'getmarks', method: 'GET', path: '/api/getmarks', capability: 'journal.read', tag: 'V' }],
  mapperVersion: 'toy-1',
});

const ctx: MapContext = {
  system: 'eljur', instance: 'crimea', timeZone: 'Europe/Simferopol', fetchedAt: '2026-10-01T09:00:00Z', runId: 'run-1',
  mapperVersion: 'toy-1', ids: { studentId: '17' },
};

describe('capabilities', () => {
  it('asking for a missing capability names the platform and the capability', () => {
    expect(() => requireCapability(eljurLike, 'journal.read')).not.toThrow();
    try {
      requireCapability(eljurLike, 'marks.write');
      throw new Error('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(CapabilityNotSupportedError);
      expect(e).toMatchObject({ platform: 'toy', capability: 'marks.write' });
      expect((e as Error).message).toContain('toy');
      expect((e as Error).message).toContain('marks.write');
    }
  });

  it('a declaration whose route needs an undeclared capability is refused at load', () => {
    expect(() => defineConnector({ ...eljurLike, routes: [{ name: 'x', method: 'POST', path: '/x', capability: 'marks.write' }] })).toThrow(/marks\.write/);
    expect(() => defineConnector({ ...eljurLike, routes: [...eljurLike.routes, ...eljurLike.routes] })).toThrow(/twice/);
  });
});

describe('payload schemas: never crash, never drop', () => {
  const Mark = z.object({ id: z.string(), value: z.string() });

  it('a mismatching envelope is a PayloadSchemaError naming platform, route and path', () => {
    const env = z.object({ response: z.object({ state: z.number(), result: z.object({ marks: z.array(Mark) }) }) });
    try {
      parsePayload(env, { response: { state: 200, result: { marks: [{ id: '1', value: 5 }] } } }, { platform: 'eljur', route: 'getmarks' });
      throw new Error('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(PayloadSchemaError);
      expect(e).toMatchObject({ platform: 'eljur', route: 'getmarks', path: 'response.result.marks.0.value' });
    }
  });

  it('per-record validation keeps the good records and quarantines the bad one with its field', () => {
    const r = parseItems(Mark, [{ id: '1', value: '5' }, { id: '2', value: null }, { id: '3', value: '4-' }], {
      route: 'getmarks', pathPrefix: 'marks', idOf: (x) => (x as { id?: string }).id,
    });
    expect(r.ok.map((m) => m.id)).toEqual(['1', '3']);
    expect(r.quarantine).toEqual([expect.objectContaining({ route: 'getmarks', sourceId: '2', field: 'marks.1.value' })]);
  });
});

describe('provenance and source refs', () => {
  it('provenance carries system, instance, fetch time, payload hash, run and mapper version', () => {
    const h = payloadHash({ b: 1, a: 2 });
    expect(h).toBe(payloadHash({ a: 2, b: 1 }));
    expect(provenanceFor(ctx, h)).toEqual({
      system: 'eljur', instance: 'crimea', fetchedAt: '2026-10-01T09:00:00Z', sourceModifiedAt: null, payloadHash: h, runId: 'run-1', mapperVersion: 'toy-1',
    });
    expect(sourceRef(ctx, 'person', 1709395996654255174n)).toEqual({ system: 'eljur', instance: 'crimea', kind: 'person', sourceId: '1709395996654255174' });
  });

  it('mapBatch builds the context from the batch and the run, and stamps the payload hash', () => {
    const m = mapBatch((route, _p, c) => ({ records: [], quarantine: [{ route, reason: `zone ${c.timeZone}, hash ${c.payloadHash?.slice(0, 4)}` }] }),
      { route: 'getmarks', payload: { x: 1 }, context: { timeZone: 'Europe/Samara', ids: {}, fetchedAt: ctx.fetchedAt } },
      { system: 'eljur', instance: 'i', runId: 'r', mapperVersion: 'v' });
    expect(m.payloadHash).toBe(payloadHash({ x: 1 }));
    expect(m.quarantine[0].reason).toBe(`zone Europe/Samara, hash ${m.payloadHash.slice(0, 4)}`);
  });
});

describe('registry', () => {
  afterEach(() => unregisterPlatform('toy'));

  it('starts empty; a platform is one entry; config is validated with its schema', async () => {
    expect(Object.keys(PLATFORMS).filter((k) => k === 'toy')).toEqual([]);
    let closed = 0;
    const entry: PlatformEntry<typeof eljurLike.configSchema> = {
      declaration: eljurLike,
      createConnector: (config) => ({
        declaration: eljurLike,
        open: async () => undefined,
        close: async () => void closed++,
        async *readSchool() {
          yield { route: 'getmarks', payload: { vendor: config.vendor }, context: { timeZone: 'Europe/Simferopol', ids: {}, fetchedAt: ctx.fetchedAt } };
        },
      }) satisfies Connector,
      mapper: () => ({ records: [], quarantine: [] }),
      emulator: { start: async () => { throw new Error('not in this test'); } },
    };
    registerPlatform(entry);
    expect(getPlatform('toy')).toBe(entry);
    expect(() => registerPlatform({ ...entry })).toThrow(/already registered/);
    expect(() => createConnectorFor('toy', { baseUrl: 'nope', vendor: 'v' }, { instance: 'i' })).toThrow();
    const c = createConnectorFor('toy', { baseUrl: 'https://api.eljur.ru', vendor: 'v' }, { instance: 'i' });
    const got = await withConnector(c, async (conn) => {
      const out = [];
      for await (const b of conn.readSchool({ from: '2026-09-01', to: '2026-10-31' })) out.push(b.payload);
      return out;
    });
    expect(got).toEqual([{ vendor: 'v' }]);
    await expect(withConnector(c, async () => { throw new Error('read failed'); })).rejects.toThrow('read failed');
    expect(closed).toBe(2); // close() always runs
    expect(() => getPlatform('nope')).toThrow(/unknown platform "nope"/);
  });
});
