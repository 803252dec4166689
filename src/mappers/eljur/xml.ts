// ЭлЖур `out_format=xml` (platforms.md §4.2, §4.5): no public sample of the XML shape exists [U], so the
// shape is derived from the JSON one and BOTH directions live here, in one place:
//  - an object becomes child elements (`<state>200</state>`); an object whose keys are not XML names
//    (student ids, `YYYYMMDD` days, lesson numbers, Cyrillic class names) becomes `<item key="…">` children;
//  - an array becomes `<item>` children without `key`;
//  - every leaf is text: numbers, ids and booleans arrive as strings (ids keep their leading zeros);
//  - `null`, `{}` and `[]` become an empty element, read back as `''` (schemas accept `''` there).
// The reader is strict: a document that is not well-formed is refused with the offset of the fault, a
// DOCTYPE is refused (no entity declarations, so no entity expansion at all: only the five predefined
// entities and character references are known), and depth is bounded.
// fast-xml-parser (named in issue 6) is not installed in this checkout; this reader covers the subset the
// JSON-derived shape needs.

/** A document that is not well-formed, or that asks for what the reader refuses. */
export class EljurXmlError extends Error {
  constructor(readonly offset: number, detail: string) {
    super(`eljur xml: not well-formed at offset ${offset}: ${detail}`);
    this.name = 'EljurXmlError';
  }
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const MAX_DEPTH = 64;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
// Sticky (`y`) expressions read in place at an offset: no substring per tag or attribute.
const TAG_RE = /<([A-Za-z_][\w.:-]*)/y;
const ATTR_RE = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

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

interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

function decodeEntities(s: string, at: number): string {
  if (!s.includes('&')) return s;
  return s.replace(/&([^;\s&<]*);?/g, (m, ent: string) => {
    if (!m.endsWith(';')) throw new EljurXmlError(at, `bare "&" (write &amp;)`);
    if (ent in ENTITIES) return ENTITIES[ent];
    const num = /^#(\d+)$/.exec(ent) ?? /^#x([0-9a-fA-F]+)$/.exec(ent);
    if (num) {
      const cp = parseInt(num[1], ent[1] === 'x' ? 16 : 10);
      if (cp > 0x10ffff || cp === 0) throw new EljurXmlError(at, `character reference &${ent}; out of range`);
      return String.fromCodePoint(cp);
    }
    throw new EljurXmlError(at, `unknown entity &${ent}; (entity declarations are not accepted)`);
  });
}

function parseTree(text: string): Node {
  let i = 0;
  const n = text.length;
  const stack: Node[] = [];
  let root: Node | undefined;
  const fail = (detail: string): never => { throw new EljurXmlError(i, detail); };
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (chunk.length) {
      if (stack.length) stack[stack.length - 1].text += decodeEntities(chunk, i);
      else if (chunk.trim()) fail('text outside the root element');
      if (chunk.includes('>') && stack.length === 0 && chunk.trim()) fail('stray ">"');
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) fail('unterminated processing instruction');
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      if (end < 0) fail('unterminated CDATA section');
      if (!stack.length) fail('CDATA outside the root element');
      stack[stack.length - 1].text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      fail('DOCTYPE and declarations are refused (no entity expansion)');
    } else if (text.startsWith('</', i)) {
      const end = text.indexOf('>', i);
      if (end < 0) fail('unterminated end tag');
      const name = text.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open) fail(`end tag </${name}> without a start tag`);
      if (open!.name !== name) fail(`end tag </${name}> does not match <${open!.name}>`);
      i = end + 1;
      if (!stack.length) root = open;
    } else {
      TAG_RE.lastIndex = i;
      const m = TAG_RE.exec(text);
      if (!m) fail('"<" that starts no tag');
      if (root) fail('a second root element');
      const node: Node = { name: m![1], attrs: {}, children: [], text: '' };
      i = TAG_RE.lastIndex;
      for (;;) {
        const before = i;
        while (i < n && isSpace(text.charCodeAt(i))) i++;
        if (text.charCodeAt(i) === 47 /* / */ && text.charCodeAt(i + 1) === 62 /* > */) { i += 2; break; }
        if (text.charCodeAt(i) === 62 /* > */) { i += 1; stack.push(node); break; }
        ATTR_RE.lastIndex = i;
        const a = i > before ? ATTR_RE.exec(text) : null; // attributes are separated by white space
        if (!a) fail(`malformed attribute in <${node.name}>`);
        if (a![1] in node.attrs) fail(`attribute "${a![1]}" repeated in <${node.name}>`);
        node.attrs[a![1]] = decodeEntities(a![2] ?? a![3], i);
        i = ATTR_RE.lastIndex;
      }
      if (stack.length > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
      const parent = stack[stack.length - (stack[stack.length - 1] === node ? 2 : 1)];
      if (parent) parent.children.push(node);
      else if (stack[stack.length - 1] !== node) root = node; // a self-closing root
    }
  }
  if (stack.length) throw new EljurXmlError(n, `unclosed <${stack[stack.length - 1].name}>`);
  if (!root) throw new EljurXmlError(0, 'no root element');
  return root;
}

function valueOf(node: Node, dropKey: boolean): unknown {
  const attrs = { ...node.attrs };
  if (dropKey) delete attrs.key;
  const hasAttrs = Object.keys(attrs).length > 0;
  if (!node.children.length) {
    if (!hasAttrs) return node.text;
    return node.text.trim() ? { ...attrs, '#text': node.text } : attrs;
  }
  const allItems = node.children.every((c) => c.name === 'item');
  if (allItems && !hasAttrs) {
    if (node.children.every((c) => 'key' in c.attrs)) {
      const obj: Record<string, unknown> = {};
      for (const c of node.children) obj[c.attrs.key] = valueOf(c, true);
      return obj;
    }
    return node.children.map((c) => valueOf(c, false));
  }
  const obj: Record<string, unknown> = { ...attrs };
  for (const c of node.children) {
    const v = valueOf(c, false);
    if (!(c.name in obj)) obj[c.name] = v;
    else if (Array.isArray(obj[c.name]) && (obj as Record<string, unknown[] & { __rep?: boolean }>)[c.name].__rep) (obj[c.name] as unknown[]).push(v);
    else {
      const rep = [obj[c.name], v] as unknown[] & { __rep?: boolean };
      Object.defineProperty(rep, '__rep', { value: true, enumerable: false });
      obj[c.name] = rep;
    }
  }
  if (node.text.trim()) obj['#text'] = node.text;
  return obj;
}

/**
 * Parses an ЭлЖур XML answer into the JSON shape (`{response:{state, error, result}}`): attributes kept
 * as keys, leaves as strings. Throws {@link EljurXmlError} on anything not well-formed.
 */
export function parseEljurXml(text: string): unknown {
  const root = parseTree(text);
  return { [root.name]: valueOf(root, false) };
}
