// CSV injection (OWASP): a cell a spreadsheet would run as a formula gets an apostrophe; a mark or a number does not.
import { describe, expect, it } from 'vitest';
import { inertCell } from '../../src/infra/spreadsheet-formula.js';

describe('a CSV cell a spreadsheet would run as a formula', () => {
  it('starts with = + - @, or a tab or CR some programs skip first: an apostrophe in front', () => {
    for (const s of ['=HYPERLINK("http://x")', '+A1', '-2+3+cmd|\' /C calc\'!A0', '@SUM(A1:A2)', '\t=1', '\r=1', '=', '-A1', '+-1'])
      expect(inertCell(s), JSON.stringify(s)).toBe(`'${s}`);
  });

  it('a lone sign, a plain number and a mark with a modifier are left as they are', () => {
    for (const s of ['-', '+', '-3', '+1.5', '-2,5', '5-', '4+', 'н', 'оп', '', 'Иванова Анна']) expect(inertCell(s)).toBe(s);
  });
});
