// A batch of records' JSON as one `$n::jsonb` array parameter (upsert.ts), serialised ahead of the write that sends
// it: each record's text is added while the previous batch is in the database, and only a short tail (the version the
// write reserves under its lock) is added by the write.
//
// On PostgreSQL the array goes as jsonb's binary form — a version byte (1), then the text's UTF-8 — encoded record by
// record into one buffer per batch. Given the joined text, pg measured and encoded one string of megabytes, and one
// Cyrillic letter makes that a two-byte string whose UTF-8 length is a slow pass of its own (~40–50 ms a batch of
// 5,000 against ~11 ms record by record). One buffer, not a Buffer per record: ~600,000 small buffers are as much memory
// again outside the heap, beside a school-year held in it (12 weeks: the journal step's CPU 24.9 s that way, 23.6 s
// with one buffer). PGlite takes the text.

const JSONB_VERSION = 1;
const [OPEN, COMMA, CLOSE] = ['[', ',', ']'].map((c) => c.charCodeAt(0));

export interface JsonBatch {
  /** Adds a record's JSON text without its closing part, which {@link param} adds. */
  add(head: string): void;
  /** The array parameter: each record's head, then `tail(i)` (ASCII) closing it. */
  param(tail: (i: number) => string): string | Buffer;
}

export function jsonBatch(backend: 'postgres' | 'pglite'): JsonBatch {
  return backend === 'postgres' ? new EncodedBatch() : new TextBatch();
}

class TextBatch implements JsonBatch {
  private readonly heads: string[] = [];
  add(head: string): void {
    this.heads.push(head);
  }
  param(tail: (i: number) => string): string {
    return `[${this.heads.map((h, i) => h + tail(i)).join(',')}]`;
  }
}

class EncodedBatch implements JsonBatch {
  // Small at first: most upserts are a few records; a batch of 5,000 grows it a few times (each growth one copy).
  private body = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  /** Where each record's bytes end in `body`. */
  private readonly ends: number[] = [];

  add(head: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4).
    const room = head.length * 3;
    if (this.body.length - this.used < room) {
      const grown = Buffer.allocUnsafe(Math.max(this.body.length * 2, this.used + room));
      this.body.copy(grown, 0, 0, this.used);
      this.body = grown;
    }
    this.used += this.body.write(head, this.used, 'utf8');
    this.ends.push(this.used);
  }

  param(tail: (i: number) => string): Buffer {
    const tails = this.ends.map((_, i) => tail(i));
    const size = 3 + this.used + tails.reduce((n, t) => n + t.length + 1, 0);
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    out[at++] = JSONB_VERSION;
    out[at++] = OPEN;
    let start = 0;
    this.ends.forEach((end, i) => {
      if (i > 0) out[at++] = COMMA;
      at += this.body.copy(out, at, start, end);
      at += out.write(tails[i], at, 'latin1');
      start = end;
    });
    out[at++] = CLOSE;
    return out.subarray(0, at);
  }
}
