// Text and JSON answers are decoded here by the charset their Content-Type (or, failing that, the document itself)
// names, not by axios, which reads every body as UTF-8 whatever the label says. Older regional NetSchool servers
// label report files and legacy pages `charset=windows-1251` (or say so in a `<meta>`): read as UTF-8, every Cyrillic
// letter became U+FFFD, and subject names and period titles («Итог 1 четверть») no longer matched anything.
import iconv from 'iconv-lite';

/** The charset a Content-Type names (lower case, unquoted), or undefined. */
export function charsetOf(contentType: unknown): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(String(contentType ?? ''));
  return m?.[1].toLowerCase();
}

/**
 * The charset a document names inside itself, in its first kilobyte: an XML declaration's `encoding` or an HTML
 * `<meta charset>` / `<meta http-equiv="Content-Type" content="…; charset=…">` (NetSchool's older pages).
 */
function declaredCharset(data: Buffer): string | undefined {
  const head = data.subarray(0, 1024).toString('latin1');
  if (!/^\s*</.test(head)) return undefined; // JSON and plain text declare nothing inside
  const m = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head) ?? /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head);
  return m?.[1].toLowerCase();
}

/**
 * The body's text in the charset its Content-Type names, else the one the document itself declares; UTF-8 when
 * neither names one, or names one iconv does not know. A leading byte-order mark is dropped, as axios drops it.
 * Anything but bytes is returned as it is.
 */
export function decodeBody(data: unknown, contentType: unknown): unknown {
  if (!Buffer.isBuffer(data)) return data;
  const charset = charsetOf(contentType) ?? declaredCharset(data);
  if (charset && !/^utf-?8$/.test(charset) && iconv.encodingExists(charset)) return iconv.decode(data, charset);
  // UTF-8, the common case, as axios decoded it (Buffer's own decoder: the hot path of every page).
  const text = data.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
