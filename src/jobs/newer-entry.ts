import type { Queue, Worker } from 'bullmq';

// Writes a hash field holding a JSON entry with a `finishedOn` only when the entry is newer than the one kept, in one
// Redis command. Read and write as two calls let two workers finishing runs at the same moment both read the old
// entry and write in either order — the older run could be written last and stay. Used by the records kept past
// BullMQ's removal of jobs (last-completed.ts, school-last-runs.ts).

/** The Redis command a record needs (the worker's own connection: BullMQ's is closed with the worker). */
export interface RecordClient {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

// An unreadable entry is replaced, as the readers treat it as none kept.
const WRITE_IF_NEWER = `
local had = redis.call('HGET', KEYS[1], ARGV[1])
if had then
  local ok, v = pcall(cjson.decode, had)
  if ok and type(v) == 'table' and tonumber(v.finishedOn) and tonumber(v.finishedOn) >= tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`;

/** Sets `field` of hash `key` to `entry` unless the entry kept finished at the same time or later; true when written. */
export async function writeIfNewer<E extends { finishedOn: number }>(client: RecordClient, key: string, field: string, entry: E): Promise<boolean> {
  return Number(await client.eval(WRITE_IF_NEWER, 1, key, field, entry.finishedOn, JSON.stringify(entry))) === 1;
}

/** A queue or a worker: the records are kept beside its queue (`<prefix>:<queue>:<hash>`). */
export type QueueLike = Pick<Queue | Worker, 'toKey' | 'getBackend'>;

/** Every entry of a record's hash that `parse` can read; an unreadable one is left out, as if none were kept. */
export async function readEntries<E>(queue: QueueLike, hash: string, parse: (value: string) => E | undefined): Promise<Map<string, E>> {
  const all = await (await queue.getBackend().client).hgetall(queue.toKey(hash));
  const out = new Map<string, E>();
  for (const [field, value] of Object.entries(all ?? {})) {
    const entry = parse(value);
    if (entry) out.set(field, entry);
  }
  return out;
}
