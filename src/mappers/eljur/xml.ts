// ЭлЖур `out_format=xml` (platforms.md §4.2, §4.5; issue 6): no public sample of the XML shape exists [U], so the
// shape is derived from the JSON one and BOTH directions live here, in one place:
//  - an object becomes child elements (`<state>200</state>`); an object whose keys are not XML names
//    (student ids, `YYYYMMDD` days, lesson numbers, Cyrillic class names) becomes `<item key="…">` children;
//  - an array becomes `<item>` children without `key`;
//  - every leaf is text: numbers, ids and booleans arrive as strings (ids keep their leading zeros);
//  - `null`, `{}` and `[]` become an empty element, read back as `''` (schemas accept `''` there).
// Reading goes through fast-xml-parser: XMLValidator first (a document that is not well-formed is refused with
// its line and column), then XMLParser with every value kept as a string, attributes kept as keys, and every
// `<item>` read as a list element whatever its path — so a one-element list stays a list. Entities: the five
// predefined ones and character references only; an entity a DOCTYPE declares is never expanded, and a
// document that uses one is refused (no billion laughs, no external entities). Depth is bounded.
import { XMLParser, XMLValidator, type EntityDecoderOptions } from 'fast-xml-parser';

/** A document that is not well-formed, or that asks for what the reader refuses. */
export class EljurXmlError extends Error {
  constructor(readonly detail: string, readonly line?: number, readonly column?: number, kind: 'not well-formed' | 'refused' = 'not well-formed') {
    super(`eljur xml: ${kind}${line === undefined ? '' : ` at line ${line}${column === undefined ? '' : `, column ${column}`}`}: ${detail}`);
    this.name = 'EljurXmlError';
  }
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const MAX_DEPTH = 64;
const TEXT = '#text';

// ---------------------------------------------------------------- writing (the emulator's side)

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function writeValue(name: string, value: unknown, attrs: string, out: string[]): void {
  if (value === null || value === undefined) {
    out.push(`<${name}${attrs}/>`);
    return;
  }
  if (Array.isArray(value)) {
    out.push(`<${name}${attrs}>`);
    for (const v of value) writeValue('item', v, '', out);
    out.push(`</${name}>`);
    return;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    const keyed = entries.some(([k]) => !NAME_RE.test(k));
    out.push(`<${name}${attrs}>`);
    for (const [k, v] of entries) {
      if (keyed) writeValue('item', v, ` key="${escapeXml(k)}"`, out);
      else writeValue(k, v, '', out);
    }
    out.push(`</${name}>`);
    return;
  }
  out.push(`<${name}${attrs}>${escapeXml(String(value))}</${name}>`);
}

/** A JSON value as ЭлЖур-shaped XML under `root` (the emulator answers `out_format=xml` with it). */
export function toEljurXml(value: unknown, root = 'response'): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  writeValue(root, value, '', out);
  return out.join('');
}

// ---------------------------------------------------------------- reading (the connector's and mapper's side)

/** Thrown by the entity decoder inside the parser; turned into an {@link EljurXmlError} with its position. */
class RefusedEntity extends Error {
  constructor(readonly reference: string, detail: string) {
    super(detail);
  }
}

const PREDEFINED = new Map([['lt', '<'], ['gt', '>'], ['amp', '&'], ['quot', '"'], ['apos', "'"]]);

/**
 * fast-xml-parser's entity hook: expands only what XML itself defines. Entities a DOCTYPE declares are ignored,
 * never expanded, so the output is never longer than the input; a document that uses one is refused.
 */
const strictEntities: EntityDecoderOptions = {
  setExternalEntities: () => {},
  addInputEntities: () => {},
  setXmlVersion: () => {},
  reset: () => {},
  decode: (text) => {
    if (!text.includes('&')) return text;
    return text.replace(/&([^;&\s<]*);/g, (ref, name: string) => {
      const predefined = PREDEFINED.get(name);
      if (predefined !== undefined) return predefined;
      const num = /^#(?:(\d{1,7})|x([0-9a-fA-F]{1,6}))$/.exec(name);
      if (!num) throw new RefusedEntity(ref, `entity ${ref} is not expanded: only &lt; &gt; &amp; &quot; &apos; and character references are (DOCTYPE entity declarations are ignored)`);
      const cp = num[1] !== undefined ? Number(num[1]) : parseInt(num[2], 16);
      if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new RefusedEntity(ref, `character reference ${ref} is not a character`);
      return String.fromCodePoint(cp);
    });
  },
};

const PARSER = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: TEXT,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Every `<item>` is a list element wherever it sits: a list of one stays a list.
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && name === 'item',
  // A DOCTYPE's entity declarations are read (bounded in number and size) and then ignored by strictEntities.
  processEntities: { enabled: true, maxEntityCount: 100, maxEntitySize: 1_000 },
  entityDecoder: strictEntities,
  maxNestedTags: MAX_DEPTH,
  // Callbacks get the live path matcher rather than a path string built for every tag (a third less parse time).
  jPath: false,
});

/**
 * A name the validator quotes, if it may be repeated: the protocol's element and attribute names are lower-case
 * ASCII (`response`, `lesson_id`), and a lone `&` or `<` is punctuation. Anything else is text of the document that
 * the validator took for a name («Иванова <Мария</lastname>» gives the tag `Мария</lastname`): a name, so «…».
 */
const quotable = (name: string) => /^[a-z_][a-z0-9_]*$/.test(name) || /^[^\p{L}\p{N}]$/u.test(name);

/** The validator's message with only quotable names in it, its list of tags left open at the end written out. */
function validatorMessage(msg: string): string {
  const open = /^Invalid '\[(.*)\]' found\.$/s.exec(msg);
  if (!open) return msg.replace(/'([^']*)'/g, (_m, name: string) => (quotable(name) ? `'${name}'` : '«…»'));
  const tags = open[1].split(',').map((t) => t.trim().replace(/^"|"$/g, ''));
  return `the document ends with ${tags.map((t) => (quotable(t) ? `<${t}>` : '«…»')).join(', ')} unclosed`;
}

/** 1-based line and column of `index` in `text`. */
function positionOf(text: string, index: number): [line: number, column: number] {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return [line, index - start + 1];
}

/** Where the document's body starts: after a DOCTYPE (whose entity values may hold references themselves). */
function bodyStart(text: string): number {
  const doctype = /<!DOCTYPE[^[>]*(?:\[[\s\S]*?\]\s*)?>/.exec(text);
  return doctype ? doctype.index + doctype[0].length : 0;
}

type Parsed = string | Parsed[] | { [key: string]: Parsed };
const isBlank = (v: Parsed | undefined) => typeof v === 'string' && v.trim() === '';

/**
 * fast-xml-parser's tree → the JSON shape: `<x><item>…</item></x>` is a list, `<x><item key="k">…</item></x>` an
 * object keyed by `key`; white space between elements (a pretty-printed answer) is not text.
 */
function shape(v: Parsed): Parsed {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(shape);
  const items = v.item;
  if (Array.isArray(items) && onlyItems(v)) return items.every(hasKey) ? keyed(items as Record<string, Parsed>[]) : items.map(shape);
  const out: Record<string, Parsed> = {};
  for (const k in v) if (!(k === TEXT && isBlank(v[k]))) out[k] = shape(v[k]);
  return out;
}

/** An element whose children are all `<item>` (white space aside) and that has no attributes. */
function onlyItems(v: { [key: string]: Parsed }): boolean {
  for (const k in v) if (k !== 'item' && !(k === TEXT && isBlank(v[k]))) return false;
  return true;
}
const hasKey = (it: Parsed) => typeof it === 'object' && !Array.isArray(it) && typeof it.key === 'string';

/** `<item key="k">…</item>` children → `{k: …}`; an item holding only text is that text, an empty one `''`. */
function keyed(items: Record<string, Parsed>[]): Record<string, Parsed> {
  const out: Record<string, Parsed> = {};
  for (const { key, ...rest } of items) {
    if (key === '__proto__') throw new EljurXmlError('item key "__proto__" refused (it would replace the object\'s prototype)', undefined, undefined, 'refused');
    let only: string | undefined;
    let count = 0;
    for (const k in rest) { only = k; if (++count > 1) break; }
    out[key as string] = count === 0 ? '' : count === 1 && only === TEXT ? rest[TEXT] : shape(rest);
  }
  return out;
}

/**
 * Pages read twice in a row: the connector reads each diary page for its pupils' subgroups just before the
 * mapper maps the same page (the batch carries the text as received, for its payload hash), and diary pages
 * are most of a school's bytes. {@link parseEljurXmlAndHandOver} keeps its result for the next
 * {@link parseEljurXml} of the same text, which takes it (once); at most {@link HAND_OVER_MAX} results wait.
 */
const HAND_OVER_MAX = 16;
const handOver = new Map<string, unknown>();

/** Parses `text` and hands the result to the next {@link parseEljurXml} of the same text (the connector's side). */
export function parseEljurXmlAndHandOver(text: string): unknown {
  const value = parseEljurXml(text);
  handOver.set(text, value);
  if (handOver.size > HAND_OVER_MAX) handOver.delete(handOver.keys().next().value!);
  return value;
}

/**
 * Parses an ЭлЖур XML answer into the JSON shape (`{response:{state, error, result}}`): attributes kept as keys,
 * leaves as strings. Throws {@link EljurXmlError} — with the line and column where known — on anything not
 * well-formed, a second root, or an entity it will not expand.
 */
export function parseEljurXml(text: string): unknown {
  const handed = handOver.get(text);
  if (handed !== undefined) {
    handOver.delete(text);
    return handed;
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new EljurXmlError(validatorMessage(valid.err.msg), valid.err.line, valid.err.col);
  let tree: Record<string, Parsed>;
  try {
    tree = PARSER.parse(text) as Record<string, Parsed>;
  } catch (e) {
    if (e instanceof RefusedEntity) throw new EljurXmlError(e.message, ...positionOf(text, text.indexOf(e.reference, bodyStart(text))), 'refused');
    const detail = e instanceof Error ? e.message : String(e);
    throw new EljurXmlError(/nested tags/i.test(detail) ? `nesting deeper than ${MAX_DEPTH} elements` : validatorMessage(detail), undefined, undefined, 'refused');
  }
  const roots = Object.keys(tree);
  const count = roots.reduce((n, r) => n + (Array.isArray(tree[r]) ? (tree[r] as Parsed[]).length : 1), 0);
  if (count !== 1) throw new EljurXmlError(`one root element expected, found ${count}`);
  const root = tree[roots[0]];
  const tail = text.slice(text.lastIndexOf('>') + 1);
  if (tail.trim()) throw new EljurXmlError('text after the root element', ...positionOf(text, text.length - tail.length + tail.search(/\S/)));
  return { [roots[0]]: shape(Array.isArray(root) ? root[0] : root) };
}
