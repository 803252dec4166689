// A platform's own error text, as far as it may travel: into an error message, a job's failure, a worker log line,
// the status page, the outbound ledger. Platforms write free text and some of it names people («Нет доступа к
// ученику Иванов Иван…», «Учётная запись ivanova.m заблокирована»), so 152-ФЗ rules out passing it on as it is.
// No test tells a surname from an ordinary capitalised word, so the rule is a list: a text travels only when it is
// one of the platform's known messages (documented in platforms.md or served by its emulator, none naming anyone);
// any other text is replaced by a fixed note. The error keeps the platform's code, the HTTP status and the route.

/** What replaces a platform text that is not one of its known messages. */
export const WITHHELD_TEXT = "the platform's text withheld: it may name a person";

/** Exact texts, or patterns anchored at both ends, that a platform is known to send and that name nobody. */
export type KnownTexts = readonly (string | RegExp)[];

/** The text itself when it is known, else {@link WITHHELD_TEXT}; `undefined` stays `undefined`. */
export function vettedText(text: string | undefined, known: KnownTexts): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  return known.some((k) => (typeof k === 'string' ? k === t : anchored(k).test(t))) ? t : WITHHELD_TEXT;
}

const anchoredCache = new WeakMap<RegExp, RegExp>();
/** A pattern forced to match the whole text, so a known phrase with a name appended still does not pass. */
function anchored(re: RegExp): RegExp {
  let a = anchoredCache.get(re);
  if (!a) {
    a = new RegExp(`^(?:${re.source})$`, re.flags.replace(/[gy]/g, ''));
    anchoredCache.set(re, a);
  }
  return a;
}
