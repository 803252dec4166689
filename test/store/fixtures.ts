// Small canonical records for the store tests, plus a helper that opens the store on every available backend:
// PGlite in memory always; PostgreSQL when the global setup found one (each test file in its own random schema).
import { inject } from 'vitest';
import { buildRecord, markId, mintId, naturalId, type MarkRecord, type PersonRecord } from '../../src/model/index.js';
import { probePostgres, LOCAL_POSTGRES_URL } from '../../src/infra/postgres-probe.js';
import { dropSchema, openStore, type CanonicalStore } from '../../src/store/index.js';

export const prov = (runId = 'run-1', fetchedAt = '2025-09-01T08:00:00Z') => ({
  system: 'synthetic' as const, instance: 'test', fetchedAt, payloadHash: 'p', runId, mapperVersion: '1',
});

export function person(id: string, familyName = 'Тестов', fetchedAt?: string): PersonRecord {
  return buildRecord('person', { familyName, givenName: 'Тест', enabled: true }, {
    id, sourceRefs: [{ system: 'synthetic', instance: 'test', sourceId: id.slice(0, 8), kind: 'user' }], provenance: prov('run-1', fetchedAt),
  });
}

const teacher = naturalId('person', 'teacher');
export function mark(student: string, lesson: string, raw = '5', runId = 'run-1'): MarkRecord {
  const base = Number.parseInt(raw, 10);
  return buildRecord('mark', {
    studentId: student, workId: naturalId('work', lesson), lessonId: lesson, slot: 1, raw, base, modifier: 'none', numeric: base,
    state: 'graded', weightApplied: 10, markDate: '2025-09-02', recordedAt: '2025-09-02T09:00:00Z', recordedBy: teacher,
  }, {
    id: markId(student, lesson, 1), sourceRefs: [{ system: 'synthetic', instance: 'test', sourceId: `${student}:${lesson}`, kind: 'mark' }],
    provenance: prov(runId),
  });
}

export const newId = () => mintId();

export interface Backend {
  name: 'pglite' | 'postgres';
  open(): Promise<{ store: CanonicalStore; cleanup(): Promise<void> }>;
}

async function postgresUrl(): Promise<string | null> {
  let url: string | null | undefined;
  try {
    url = inject('postgresUrl');
  } catch {
    url = undefined;
  }
  if (url !== undefined) return url;
  const fallback = process.env.DATABASE_URL ?? LOCAL_POSTGRES_URL;
  return (await probePostgres(fallback)) ? fallback : null;
}

export const pgUrl = await postgresUrl();

export const backends: Backend[] = [
  {
    name: 'pglite',
    async open() {
      const store = await openStore({ databaseUrl: null, dataDir: 'memory://' });
      return { store, cleanup: () => store.close() };
    },
  },
  ...(pgUrl
    ? [{
        name: 'postgres' as const,
        async open() {
          const schema = `jg_test_${Math.random().toString(36).slice(2, 10)}`;
          const store = await openStore({ databaseUrl: pgUrl, schema });
          return {
            store,
            async cleanup() {
              await store.close();
              await dropSchema(pgUrl, schema);
            },
          };
        },
      }]
    : []),
];
