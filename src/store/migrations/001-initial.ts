// Canonical records, change log, crosswalk, sync cursors and the outbound ledger (canonical-model.md §A.4, §A.5, §C.2).
export const name = 'initial';

export const sql = `
CREATE SEQUENCE gateway_version_seq AS bigint START 1;

-- One row per canonical record; record holds the whole record (envelope + business fields).
-- Tombstones stay here forever (status = 'deleted'); nothing is ever physically deleted.
CREATE TABLE canonical_records (
  id               uuid PRIMARY KEY,
  entity           text        NOT NULL,
  status           text        NOT NULL CHECK (status IN ('active', 'inactive', 'deleted')),
  version          bigint      NOT NULL,
  updated_at       timestamptz NOT NULL,
  content_hash     text        NOT NULL,
  organization_id  uuid,
  record           jsonb       NOT NULL
);
-- (entity, id) serves "by entity" lookups, counts, status filters and keyset iteration. No separate
-- (entity, status) index: almost every record is active, so it would not narrow anything, and each extra
-- index cost ~10% of bulk-load throughput (measured, bench/store-bench.ts).
CREATE INDEX canonical_records_entity_id ON canonical_records (entity, id);
CREATE INDEX canonical_records_organization ON canonical_records (organization_id) WHERE organization_id IS NOT NULL;

-- The gateway's own change feed; version is the gateway-global change number.
CREATE TABLE change_log (
  version       bigint PRIMARY KEY,
  entity        text        NOT NULL,
  canonical_id  uuid        NOT NULL,
  op            text        NOT NULL CHECK (op IN ('create', 'update', 'delete', 'undelete', 'keychange', 'merge')),
  at            timestamptz NOT NULL,
  run_id        text,
  diff          jsonb
);

-- ExternalId rows (§A.4): never overwritten; a key change closes a row and opens another.
CREATE TABLE crosswalk (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entity          text        NOT NULL,
  canonical_id    uuid        NOT NULL,
  system          text        NOT NULL,
  instance        text        NOT NULL,
  source_id       text        NOT NULL,
  source_id_kind  text        NOT NULL,
  valid_from      timestamptz NOT NULL,
  valid_to        timestamptz,
  superseded_by   bigint REFERENCES crosswalk (id),
  match_rule      text,
  match_score     double precision,
  created_run_id  text
);
CREATE UNIQUE INDEX crosswalk_open_source_key ON crosswalk (system, instance, entity, source_id) WHERE valid_to IS NULL;
CREATE INDEX crosswalk_canonical_id ON crosswalk (canonical_id);

CREATE TABLE sync_cursors (
  system           text NOT NULL,
  instance         text NOT NULL,
  entity           text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('change_version', 'date_last_modified', 'snapshot_hash', 'none')),
  value            text,
  run_id           text,
  last_success_at  timestamptz,
  updated_at       timestamptz NOT NULL,
  PRIMARY KEY (system, instance, entity)
);

-- OutboundOperation ledger (§C.2 item 6): one row per idempotency key.
CREATE TABLE outbound_ledger (
  idempotency_key    text PRIMARY KEY,
  target             text        NOT NULL,
  entity             text        NOT NULL,
  canonical_id       uuid        NOT NULL,
  canonical_version  bigint      NOT NULL,
  op                 text        NOT NULL CHECK (op IN ('create', 'update', 'delete')),
  state              text        NOT NULL CHECK (state IN ('pending', 'sent', 'confirmed', 'failed', 'refused')),
  target_id          text,
  attempts           integer     NOT NULL DEFAULT 0,
  last_error         text,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL
);
CREATE INDEX outbound_ledger_state ON outbound_ledger (state, target, updated_at);
CREATE INDEX outbound_ledger_canonical ON outbound_ledger (canonical_id);
`;
