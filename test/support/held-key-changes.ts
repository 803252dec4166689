// Tests stand "a night later" for a key change held until a second miss (src/sync/held-key-changes.ts): its first
// date moved back, as the roster tests age a first miss.
import type { Store } from '../../src/store/index.js';

export async function ageHeldKeyChanges(store: Store, system: string, instance: string, schoolId: string, hours: number): Promise<void> {
  const cursor = await store.getCursor(system as never, instance, `roster-rekeys:${schoolId}`);
  if (!cursor?.value) throw new Error(`no held key change for ${schoolId} on ${instance}`);
  const held = (JSON.parse(cursor.value) as { since: string }[]).map((h) => ({ ...h, since: new Date(Date.parse(h.since) - hours * 3_600_000).toISOString() }));
  await store.setCursor({ ...cursor, value: JSON.stringify(held) });
}
