// Text and JSON answers are decoded here by the charset their Content-Type names, not by axios, which reads every
// body as UTF-8 whatever the label says. Older regional NetSchool servers label report files and legacy pages
// `charset=windows-1251`: read as UTF-8, every Cyrillic letter became U+FFFD, and subject names and period titles
// («Итог 1 четверть») no longer matched anything.
import iconv from 'iconv-lite';

/** The charset a Content-Type names (lower case, unquoted), or undefined. */
export function charsetOf(contentType: unknown): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(String(contentType ?? ''));
  return m?.[1].toLowerCase();
}

/**
 * The body's text in the charset its Content-Type names; UTF-8 when it names none or one iconv does not know.
 * A leading byte-order mark is dropped, as axios drops it. Anything but bytes is returned as it is.
 */
export function decodeBody(data: unknown, contentType: unknown): unknown {
  if (!Buffer.isBuffer(data)) return data;
  const charset = charsetOf(contentType);
  if (charset && !/^utf-?8$/.test(charset) && iconv.encodingExists(charset)) return iconv.decode(data, charset);
  // UTF-8, the common case, as axios decoded it (Buffer's own decoder: the hot path of every page).
  const text = data.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
