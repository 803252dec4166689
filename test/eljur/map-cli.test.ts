// `journal-gateway map eljur <route> FILE --context JSON`: the operator's tool for a payload saved from a
// route — JSON or XML (a file starting with `<`), one canonical record a line, quarantine on stderr.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run as mapCommand } from '../../src/cli/commands/map.js';
import { toEljurXml } from '../../src/mappers/eljur/index.js';

const FINALS = { state: 200, error: null, result: { students: { '30021': { items: [{ name: 'Алгебра', assessments: [{ period: '1 четверть', value: '4' }, { period: 'Зимняя сессия', value: '5' }] }] } } } };
const CONTEXT = JSON.stringify({ timeZone: 'Europe/Simferopol', class: '9Б', periods: [['20250901-20251024', 'quarter', '20250901', '20251024', '1 четверть']] });

let dir: string;
let out: string[];
let err: string[];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'eljur-map-'));
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out.push(String(s)); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err.push(String(s)); return true; });
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('journal-gateway map eljur', () => {
  it.each([
    ['json', () => JSON.stringify({ response: FINALS })],
    ['xml', () => toEljurXml(FINALS)],
  ])('maps a saved getfinalassessments page (%s) to NDJSON and names what it could not place on stderr', async (_f, body) => {
    const file = path.join(dir, 'finals');
    writeFileSync(file, body());
    expect(await mapCommand('eljur', 'getfinalassessments', file, { context: CONTEXT })).toBe(0);
    const records = out.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ entity: 'final_mark', kind: 'quarter', raw: '4', base: 4, sourceRefs: [{ system: 'eljur', kind: 'final_mark' }] });
    const q = err.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l).quarantine);
    expect(q).toEqual([expect.objectContaining({ route: 'getfinalassessments', field: 'assessments.period', reason: expect.stringMatching(/period unknown/) })]);
  });

  it('a file that is not JSON is named with where it breaks, not with the text around it (it may be a name)', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '{"response":{"state":200,"result":{"students":{"1001":{"lastname":"Иванова","firstname":Мария,"snils":"000-000-000 00"}}}}}\n');
    const e = await mapCommand('eljur', 'getrules', file, {}).then(() => undefined, (x: unknown) => x as Error);
    expect(e?.message).toMatch(/bad\.json: not JSON( \(at character \d+\))?; pass --context/);
    expect(e?.message).not.toMatch(/Мария|Иванова|000-000/);
  });

  it('lists the routes it can map', async () => {
    await mapCommand('eljur', undefined, undefined, { list: true });
    const text = out.join('');
    for (const r of ['getrules', 'getperiods', 'getdiary', 'getschedule', 'getmarks', 'getfinalassessments']) expect(text).toMatch(new RegExp(`^${r}\\s`, 'm'));
  });
});
