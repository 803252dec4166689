// Where a person merged away by `review merge` went. A merge tombstones the newer record (reason `merged`) and records
// the operator's decision as a person match candidate (`mergedInto` = the person kept): an id read before the merge —
// a child-link candidate's pupil or parent — is followed to the person who stands for them now.
import type { Store } from '../store/index.js';

/** A chain of merges longer than this is a loop in bad data, not a history: followed no further. */
const MAX_MERGES = 16;

/** The active person a merged-away person was merged into (through later merges too); undefined for anyone else. */
export async function mergedInto(store: Store, personId: string): Promise<string | undefined> {
  let id = personId;
  for (let i = 0; i < MAX_MERGES; i++) {
    const p = (await store.get(id)) as { entity?: string; status?: string; deleteReason?: string | null } | null;
    if (!p || p.entity !== 'person') return undefined;
    if (p.status !== 'deleted') return id === personId ? undefined : id;
    if (p.deleteReason !== 'merged') return undefined;
    const decisions = (await store.referencing('match_candidate', 'leftId', [id])) as { candidateEntity?: string; decision?: string; mergedInto?: string }[];
    const next = decisions.find((m) => m.candidateEntity === 'person' && m.decision === 'merged' && m.mergedInto)?.mergedInto;
    if (!next) return undefined;
    id = next;
  }
  return undefined;
}
