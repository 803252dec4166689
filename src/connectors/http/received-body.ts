// The hash of a response body as the platform sent it (provenance.payloadHash, canonical-model.md §A.1).
//
// The HTTP layer decodes JSON bodies itself so that it can hash the text it parsed, once, on receipt: SHA-256
// of 50 MB of text costs ~80 ms, while hashing the decoded value afterwards (canonical JSON of every page)
// cost 4–7× JSON.parse of the same bytes and ran again on every re-map. The hash travels with the decoded
// value (a WeakMap: no connector has to carry it, and it is dropped with the value), so a mapper batch whose
// payload is the body as received gets the hash of the received bytes.
import { sha256Hex } from '../../model/hash.js';

const hashOfDecoded = new WeakMap<object, string>();

/**
 * axios `transformResponse` for JSON answers: parses the text and remembers its SHA-256 (of the text's UTF-8
 * bytes — what arrived, for a body that was valid UTF-8). Like axios's own silent parsing, text that is not
 * JSON (an HTML error page, an empty body) comes back as the string it was.
 */
export function decodeJsonBody(data: unknown): unknown {
  if (typeof data !== 'string' || data === '') return data;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return data;
  }
  if (value !== null && typeof value === 'object') hashOfDecoded.set(value, sha256Hex(data));
  return value;
}

/** SHA-256 hex of the body `value` was decoded from by {@link decodeJsonBody}; undefined for anything else. */
export function receivedBodyHash(value: unknown): string | undefined {
  return value !== null && typeof value === 'object' ? hashOfDecoded.get(value) : undefined;
}

/**
 * Pages of one answer joined into one payload (ЭПОС keeps a window's marks together): the joined list's hash is the
 * SHA-256 of its pages' received hashes in order, so it still names exactly what arrived. A page the HTTP layer did
 * not decode leaves the list unhashed (mapBatch then hashes its canonical JSON).
 */
export function joinReceivedPages(pages: readonly unknown[][]): unknown[] {
  const joined = pages.flat();
  const hashes = pages.map(receivedBodyHash);
  if (hashes.every((h) => h !== undefined)) hashOfDecoded.set(joined, sha256Hex(hashes.join(',')));
  return joined;
}
