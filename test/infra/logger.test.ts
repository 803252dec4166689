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

  it('redacts names, SNILS and secrets at any depth and in the platforms\' spellings, without touching the caller\'s objects', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
    const log = createLogger({ destination: sink, pretty: false });
    const pupils = [{ id: 'p1', first_name: 'Синтетий', last_name: 'Образцов', snils: '112-233-445 95', class: '5А' }];
    const payload = { summary: { school: 's1', batch: { route: 'core/api/student_profiles', records: pupils } }, session: { auth: { 'auth-token': 'tok-9' } } };
    log.child({ job: 'j-1' }).warn(payload, 'quarantined');
    const text = lines.join('');
    for (const secret of ['Синтетий', 'Образцов', '112-233-445 95', 'tok-9']) expect(text).not.toContain(secret);
    const entry = JSON.parse(lines[0]);
    expect(entry.summary.batch.records[0]).toEqual({ id: 'p1', first_name: '[redacted]', last_name: '[redacted]', snils: '[redacted]', class: '5А' });
    expect(entry.summary.school).toBe('s1');
    expect(pupils[0].last_name).toBe('Образцов'); // the caller's record is not modified
  });
});
