import { describe, expect, it } from 'vitest';
import type { SyntheticSchool } from '../../src/emulators/dataset/index.js';
import { useEmulatedSchool } from '../support/emulated-school.js';
import { startAsursoEmulator } from '../../src/emulators/asurso/index.js';
import { compareRecords } from '../../src/model/compare.js';
import { EsiaOnlyHostError } from '../../src/connectors/asurso/index.js';
import { endOpenSessions } from '../../src/connectors/http/open-sessions.js';
import { ASURSO_IGNORE_FIELDS, asAsursoCarries, connectorFor, readAndMap } from './harness.js';

const start = (dataset: SyntheticSchool) => startAsursoEmulator({ dataset });
const s = useEmulatedSchool(start, { seed: 13, pupils: 30, weeks: 2 });

describe('АСУ РСО against the emulator: sessions', () => {
  it('a second live session of the same login is parked behind SecurityWarning.asp; the connector acknowledges it and reads on', async () => {
    const first = connectorFor(s.emu, { role: 'teacher' });
    await first.open();
    const second = connectorFor(s.emu, { role: 'teacher' });
    const res = await readAndMap(s.emu, s.from, s.to, second, { capabilities: ['roster.read'] });
    await first.close();
    expect(res.records.length).toBeGreaterThan(0);
    expect(s.emu.stats().byRoute['POST SecurityWarning.asp']).toBeGreaterThan(0);
    expect(s.emu.liveSessions()).toBe(0);
  });

  it('a run stopped (Ctrl-C) while its login is answered still ends the session the login opens', async () => {
    const e = await startAsursoEmulator({ dataset: s.school, faults: { latencyMs: 1_500 } });
    try {
      const c = connectorFor(e, { role: 'administrator' });
      const opening = c.open().catch((err: unknown) => err);
      // getdata answered: the login form is posted and in flight when the signal handler ends the sessions.
      while (!e.stats().byRoute['POST auth/getdata']) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      expect(await endOpenSessions(10_000)).toBe(1);
      await opening;
      expect(e.state.logouts).toBe(1);
      expect(e.liveSessions()).toBe(0);
    } finally {
      await e.close();
    }
  });

  it('the server\'s session time-out (timeOut) ends the session: the next call is 401 and the connector logs in again', async () => {
    const e = await startAsursoEmulator({ dataset: s.school, timeOutMs: 60_000 });
    try {
      let clock = Date.now();
      e.state.now = () => clock;
      const c = connectorFor(e, { role: 'administrator' });
      await c.open();
      clock += 61_000;
      const res = await readAndMap(e, s.from, s.to, c, { capabilities: ['roster.read'] });
      expect(res.records.length).toBeGreaterThan(0);
      expect(c.auth.logins).toBe(2);
    } finally {
      await e.close();
    }
  });

  it('wrong password: 409 with a Russian message; after five failures the throttling message', async () => {
    const acc = s.emu.info.accounts.find((a) => a.role === 'parent')!;
    const bad = () => connectorFor(s.emu, { auth: { kind: 'password', login: acc.login, password: 'не-тот-пароль' } }).open().catch((x: Error) => x.message);
    for (let i = 0; i < 5; i++) expect(await bad()).toMatch(/Неправильный пароль/);
    expect(await bad()).toMatch(/Следующая попытка может быть совершена не ранее чем/);
    s.emu.state.failedLogins.clear();
  });

  it('schools/search without a name is refused (403); with a name substring it finds the school', async () => {
    expect((await fetch(`${s.emu.baseUrl}/webapi/schools/search`)).status).toBe(403);
    const found = await (await fetch(`${s.emu.baseUrl}/webapi/schools/search?name=${encodeURIComponent(String(s.emu.info.schoolName).slice(0, 6))}`)).json() as { id: number }[];
    expect(found.map((x) => x.id)).toEqual([s.emu.info.schoolId]);
  });
});

describe('АСУ РСО on a Госуслуги-only host (logindata.esiaMainAuth)', () => {
  it('password login is a clear error; an imported browser session reads; once expired, the error says to import a new one', async () => {
    const e = await startAsursoEmulator({ dataset: s.school, esiaOnly: true });
    try {
      const pw = await connectorFor(e, { role: 'administrator' }).open().catch((x: unknown) => x);
      expect(pw).toBeInstanceOf(EsiaOnlyHostError);
      const session = e.importSession('administrator');
      const c = connectorFor(e, { auth: { kind: 'imported_session', ...session } });
      const res = await readAndMap(e, s.from, s.to, c, { capabilities: ['roster.read'] });
      expect(res.records.length).toBeGreaterThan(0);
      expect(e.liveSessions()).toBe(0); // logged out at the end of the run (logoutOnClose)
      const stale = connectorFor(e, { auth: { kind: 'imported_session', ...session } });
      const err = await readAndMap(e, s.from, s.to, stale, { capabilities: ['roster.read'] }).catch((x: Error) => x);
      expect(String(err)).toMatch(/imported session .* has expired/);
      expect(String(err)).not.toContain(session.at);
    } finally {
      await e.close();
    }
  });
});

describe('АСУ РСО diary for one child (parent and pupil accounts, §1.5)', () => {
  it.each(['parent', 'student'])('a %s account reads the child\'s marks week by week; they equal the dataset\'s', async (role) => {
    const res = await readAndMap(s.emu, s.from, s.to, connectorFor(s.emu, { role }), { capabilities: ['diary.read'] });
    expect(res.quarantine).toEqual([]);
    const marks = res.records.filter((r) => r.entity === 'mark');
    expect(marks.length).toBeGreaterThan(0);
    const child = (marks[0] as { studentId: string }).studentId;
    const lessons = new Map(s.school.all('lesson').map((l) => [l.id, l.date]));
    const expected = s.school.all('mark').filter((m) => m.studentId === child && lessons.get(m.lessonId)! >= s.from && lessons.get(m.lessonId)! <= s.to).map(asAsursoCarries);
    // The diary names neither the day a mark was set nor who set it.
    const report = compareRecords(expected, res.records, { entities: ['mark'], ignoreFields: { mark: [...ASURSO_IGNORE_FIELDS.mark!, 'markDate'] } });
    expect(report.differences.slice(0, 5)).toEqual([]);
    expect(report.compared.mark.equal).toBe(expected.length);
  });
});
