// Renderers: CSV per RFC 4180 with a BOM for Excel, escaped printable HTML, JSON as built; totals from one place.
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/reports/index.js';
import { csvField } from '../../src/reports/render/csv.js';
import { escapeHtml } from '../../src/reports/render/html.js';
import { makeTable, totalsOf } from '../../src/reports/table.js';
import type { Column, Report } from '../../src/reports/types.js';

const columns: Column[] = [
  { key: 'teacher', title: 'Учитель', type: 'text' },
  { key: 'held', title: 'Проведено уроков', type: 'count' },
  { key: 'withTopic', title: 'С темой', type: 'count' },
  { key: 'share', title: 'Доля с темой', type: 'share', share: { numerator: 'withTopic', denominator: 'held' } },
  { key: 'topic', title: 'Тема', type: 'text' },
];

function report(tables: Report['tables']): Report {
  return {
    kind: 'journal-filling', rule: 'R-39', title: 'Заполнение <журнала>', tables, notes: ['Примечание & «кавычки»'],
    school: { id: 'x', name: 'Школа № 1 "Тест"', timeZone: 'Europe/Samara' },
    period: { kind: 'month', title: 'октябрь 2025', from: '2025-10-01', to: '2025-10-31' },
  };
}

const table = makeTable(columns, [
  { teacher: 'Иванова, Анна', held: 3, withTopic: 3, topic: 'Дроби "обыкновенные"\nи десятичные' },
  { teacher: 'Петров Пётр', held: 1, withTopic: 0, topic: '=HYPERLINK("http://evil")' },
]);

describe('report tables', () => {
  it('a share in the totals row is Σ numerator / Σ denominator, not the sum or mean of the shares', () => {
    expect(table.rows.map((r) => r.share)).toEqual([1, 0]);
    expect(table.totals).toMatchObject({ teacher: 'Итого', held: 4, withTopic: 3, share: 0.75, topic: null });
    expect(totalsOf(columns, []).share).toBeNull(); // nothing held: no share, not 0 %
  });
});

describe('CSV (RFC 4180, UTF-8 with BOM)', () => {
  const csv = renderReport(report([table]), 'csv');

  it('starts with a BOM, ends lines with CRLF, quotes fields with commas, quotes and line breaks', () => {
    expect(csv.startsWith('\uFEFFУчитель,Проведено уроков,С темой,"Доля с темой, %",Тема\r\n')).toBe(true);
    expect(csv).toContain('"Иванова, Анна",3,3,100.0,"Дроби ""обыкновенные""\nи десятичные"\r\n');
    expect(csv.endsWith('Итого,4,3,75.0,\r\n')).toBe(true);
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('cr\rlf')).toBe('"cr\rlf"');
  });

  it('with a semicolon separator (Excel in a Russian locale) fields with «;» are quoted and commas are not', () => {
    const semi = renderReport(report([makeTable(columns, [{ teacher: 'Иванова, Анна', held: 1, withTopic: 1, topic: 'a; b' }])]), 'csv', { separator: ';' });
    expect(semi).toContain('\r\nИванова, Анна;1;1;100.0;"a; b"\r\n');
    expect(semi.startsWith('\uFEFFУчитель;Проведено уроков;С темой;Доля с темой, %;Тема\r\n')).toBe(true);
  });

  it('a text cell that a spreadsheet would run as a formula is written as text', () => {
    expect(csv).toContain(`Петров Пётр,1,0,0.0,"'=HYPERLINK(""http://evil"")"\r\n`);
  });

  it('a mark is printed as the journal has it: «-», «+» and «5-» get no apostrophe, a formula in a mark column does', () => {
    const marks: Column[] = [{ key: 'pupil', title: 'Ученик', type: 'text' }, { key: 'm', title: 'Отметка', type: 'mark' }];
    const out = renderReport(report([makeTable(marks, ['-', '+', '5-', '=1+1'].map((m, i) => ({ pupil: `П${i}`, m })))]), 'csv');
    expect(out).toContain('\r\nП0,-\r\nП1,+\r\nП2,5-\r\nП3,\'=1+1\r\n');
  });

  it('so is a column title or a table title (a period title, a guardian\'s name from a platform)', () => {
    const evil = '=HYPERLINK("http://evil","x")';
    const cols = columns.map((c, i) => (i === 0 ? { ...c, title: evil } : c));
    const out = renderReport(report([{ ...makeTable(cols, [{ teacher: 'А', held: 1, withTopic: 1, topic: 't' }]), title: `+${evil}` }, { ...table, title: 'Вторая' }]), 'csv');
    expect(out).toContain(`"'+=HYPERLINK(""http://evil"",""x"")"\r\n`);
    expect(out).toContain(`"'=HYPERLINK(""http://evil"",""x"")",`);
    expect(out).not.toMatch(/(^|[\r\n,])"?[=+]HYPERLINK/);
  });

  it('several tables (a page per guardian) are blocks with a title line, separated by an empty line', () => {
    const two = renderReport(report([{ ...table, title: 'Первая' }, { ...table, title: 'Вторая, с запятой' }]), 'csv');
    const blocks = two.slice(1).split('\r\n\r\n');
    expect(blocks).toHaveLength(2);
    expect(blocks[0].startsWith('Первая\r\nУчитель,')).toBe(true);
    expect(blocks[1].startsWith('"Вторая, с запятой"\r\nУчитель,')).toBe(true);
  });
});

describe('printable HTML', () => {
  const html = renderReport(report([table]), 'html');

  it('escapes every value and heading', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html).toContain('<h1>Заполнение &lt;журнала&gt;</h1>');
    expect(html).toContain('Школа № 1 &quot;Тест&quot;');
    expect(html).toContain('=HYPERLINK(&quot;http://evil&quot;)');
    expect(html).toContain('Примечание &amp; «кавычки»');
    expect(html).not.toMatch(/<(?!\/?(html|head|meta|title|style|body|h1|h2|p|br|div|section|table|thead|tbody|tfoot|tr|th|td)\b|!doctype)/i);
  });

  it('is a Russian page with print CSS, headings from the columns and Russian number formats', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="ru">/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('@media print');
    expect(html).toContain('thead { display: table-header-group; }');
    expect(html).toContain('<th scope="col">Доля с темой</th>');
    expect(html).toMatch(/<tfoot><tr><td>Итого<\/td><td class="num">4<\/td><td class="num">3<\/td><td class="num">75,0\s?%<\/td>/);
  });

  it('a page-per-table report (the R-30 printout) prints each table on its own sheet with heading and signature line', () => {
    const two = renderReport({ ...report([{ ...table, title: 'Первая' }, { ...table, title: 'Вторая' }]), pagePerTable: true }, 'html');
    expect(two.match(/<section class="page">/g)).toHaveLength(2);
    expect(two.match(/<h1>/g)).toHaveLength(2);
    expect(two.match(/Классный руководитель/g)).toHaveLength(2);
    expect(two).toContain('section.page + section.page { page-break-before: always; }');
  });

  it('other reports with several tables keep one heading and no page breaks between tables', () => {
    const two = renderReport(report([{ ...table, title: 'По дням' }, { ...table, title: 'Поздние' }]), 'html');
    expect(two.match(/<h1>/g)).toHaveLength(1);
    expect(two).not.toContain('<section class="page">');
    expect(two).toContain('<h2>По дням</h2>');
    expect(two).toContain('<h2>Поздние</h2>');
  });
});

describe('JSON', () => {
  it('is the report as built: raw shares 0…1 and nulls', () => {
    const parsed = JSON.parse(renderReport(report([table]), 'json')) as Report;
    expect(parsed.tables[0].totals).toEqual(table.totals);
    expect(parsed.rule).toBe('R-39');
  });
});
