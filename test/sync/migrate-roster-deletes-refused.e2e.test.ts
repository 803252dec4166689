// Through a write API, deletes the source's *roster* read refused (more pupils missing from its class lists than
// sync.deleteThreshold) leave the store and the target holding pupils the source no longer lists. The run is then not
// "ok" and not "nothing lost", as when its journal read refuses deletes, and as the package path into ЭлЖур already
// judges every step. Before, migrate.ts looked at the source journal step's refusal only: exit 0, «nothing lost».
import { describe, expect, it } from 'vitest';
import { useApiMove } from '../support/api-move.js';

type DnevnikWorld = {
  groups: Map<bigint, { pupils: Set<string> }>;
  persons: Map<string, { id: bigint }>;
  logEntries: Map<string, { person: bigint }>;
};

describe('migrate Дневник.ру → ЭПОС with the source roster\'s deletes refused', () => {
  const move = useApiMove({ from: 'dnevnik', to: 'epos', dataset: { seed: 6, pupils: 12 }, window: { since: '2025-09-01', until: '2025-09-12' } });

  it('pupils gone from the source\'s class lists (over the threshold): the run says the deletes were not applied, exit 1', async () => {
    expect((await move.migrate()).code).toBe(0);
    expect(move.report().ok).toBe(true);
    // Pupils disappear from every class list at the source (a broken page, say): with their parents' links, 12% of the
    // roster's records. Pupils without absences, so that only the roster read differs (the journal's routes still list
    // their marks).
    const world = (move.source as unknown as { world: DnevnikWorld }).world;
    const groups = world.groups;
    const absent = new Set([...world.logEntries.values()].map((e) => e.person));
    const pupils = [...new Set([...groups.values()].flatMap((g) => [...g.pupils]))].filter((p) => !absent.has(world.persons.get(p)!.id)).sort();
    const gone = new Set(pupils);
    expect(gone.size).toBeGreaterThan(0);
    for (const g of groups.values()) for (const p of gone) g.pupils.delete(p);
    const { code, printed } = await move.migrate();
    const r = move.report();
    expect(r.steps[0].deletesRefused, 'the source roster read refused its deletes').toMatch(/missing/);
    expect(r.ok).toBe(false);
    expect(printed).not.toMatch(/nothing lost/);
    expect(printed).toMatch(/deletes made at the source not applied/); // and says why
    expect(code).toBe(1);
  }, 300_000);
});
