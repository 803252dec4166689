import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logger.js';

describe('logging (152-ФЗ)', () => {
  it('writes JSON and redacts passwords, tokens, SNILS and names', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
    const log = createLogger({ destination: sink, pretty: false });
    log.info({
      auth: { password: 'hunter2', token: 'tok-123' }, person: { familyName: 'Тестов', givenName: 'Тест', snils: '11223344595' },
      headers: { authorization: 'Bearer abc' }, school: 'school-1',
    }, 'login');
    const entry = JSON.parse(lines[0]);
    expect(entry.msg).toBe('login');
    expect(entry.school).toBe('school-1');
    const text = lines.join('');
    for (const secret of ['hunter2', 'tok-123', 'Тестов', '11223344595', 'Bearer abc']) expect(text).not.toContain(secret);
    expect(entry.auth.password).toBe('[redacted]');
  });
});
