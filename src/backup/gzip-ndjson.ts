// Streaming gzip NDJSON: one JSON value a line, compressed as it is written and hashed as the compressed
// bytes reach the disk, so a file of any size costs a few buffers of memory (DECISIONS.md §8).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { durableWriteStream } from './durable.js';

export interface WrittenFile {
  lines: number;
  /** Compressed size on disk. */
  bytes: number;
  /** SHA-256 of the compressed bytes, lower-case hex. */
  sha256: string;
}

/** Joins lines into ~64 KiB strings: one gzip write per chunk instead of one per record. */
async function* ndjsonChunks(values: AsyncIterable<unknown> | Iterable<unknown>, counter: { lines: number }): AsyncGenerator<string> {
  let buf = '';
  for await (const v of values) {
    buf += `${JSON.stringify(v)}\n`;
    counter.lines++;
    if (buf.length >= 65_536) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/** A pass-through that hashes and counts what flows by. */
export function hashingTap(): Transform & { digest(): { bytes: number; sha256: string } } {
  const hash = createHash('sha256');
  let bytes = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  return Object.assign(t, { digest: () => ({ bytes, sha256: hash.digest('hex') }) });
}

export async function writeNdjsonGz(file: string, values: AsyncIterable<unknown> | Iterable<unknown>): Promise<WrittenFile> {
  const counter = { lines: 0 };
  const tap = hashingTap();
  // A backup never overwrites an existing file, and the file is on its medium when the pipeline resolves.
  await pipeline(Readable.from(ndjsonChunks(values, counter)), createGzip({ level: 6 }), tap, durableWriteStream(file));
  return { lines: counter.lines, ...tap.digest() };
}

/** SHA-256 and size of a file's bytes, streamed. */
export async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const tap = hashingTap();
  await pipeline(createReadStream(file), tap, async function* (source) {
    for await (const _ of source) { /* drain */ }
  });
  return tap.digest();
}

/**
 * Parsed lines of a gzip NDJSON file, one at a time; a bad line or a broken gzip stream is reported with the file.
 * With `expectSha256`, the bytes read are hashed on the way and the last step throws unless they are the expected
 * ones: a restore checks what it actually wrote, not only what an earlier verification read (a file rewritten on a
 * network share in between, a flaky medium). The caller's transaction then writes nothing.
 */
export async function* readNdjsonGz<T = unknown>(file: string, expectSha256?: string): AsyncGenerator<T> {
  const gunzip = createGunzip();
  const tap = hashingTap();
  // pipeline destroys gunzip with the read error, which then surfaces in the loop below.
  pipeline(createReadStream(file), tap, gunzip).catch(() => {});
  // A Cyrillic letter may straddle two chunks: decode with a StringDecoder, never chunk by chunk.
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let n = 0;
  const parse = (line: string): T => {
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new Error(`${file}: line ${n} is not JSON`);
    }
  };
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const text = rest + decoder.write(chunk);
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        n++;
        if (line !== '') yield parse(line);
      }
    }
  } catch (e) {
    if ((e as Error).message.startsWith(file)) throw e;
    throw new Error(`${file}: cannot be decompressed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    gunzip.destroy();
  }
  n++;
  if (rest !== '') yield parse(rest);
  if (expectSha256 !== undefined) {
    const { sha256 } = tap.digest();
    if (sha256 !== expectSha256) throw new Error(`${file}: its bytes changed after verification (SHA-256 ${sha256}, the manifest says ${expectSha256})`);
  }
}
