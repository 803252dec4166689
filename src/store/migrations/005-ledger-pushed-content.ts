// What a push wrote, per ledger row: a hash of the fields the target can hold (src/sync/pushed-content.ts). A read of a
// push target that finds exactly the gateway's last write, while a newer version of the system of record waits for the
// next push, is the push not having run yet — not a disagreement to put in the review queue. Null on rows written before.
export const name = 'ledger-pushed-content';

export const sql = `
ALTER TABLE outbound_ledger ADD COLUMN pushed_hash text;
`;
