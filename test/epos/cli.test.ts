// The operator's tools through the registry: `map epos --list`, `map epos <route> FILE --context`, and the
// standalone `emulate epos` startup line (PLATFORM-SLICE.md §1, §3).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'jg-epos-'));
const cli = async (args: string[]) => {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, LOG_PRETTY: '0' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
};

describe('journal-gateway map epos', () => {
  it('--list prints the declared routes with capability and confidence tag', async () => {
    const r = await cli(['map', 'epos', '--list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/core\/api\/marks\s+GET\s+\/core\/api\/marks\s+\[journal\.read\] \[A\]/);
    expect(r.stdout).toMatch(/core\/api\/attendances\s+GET.*\[U\]/);
  });

  it('maps a saved core/api/marks payload to canonical NDJSON; what it cannot place goes to stderr with its reason', async () => {
    const file = path.join(dir, 'marks.json');
    const m = (id: number, cf: number) => ({
      id, name: '5-', weight: 80, teacher_id: 7, schedule_lesson_id: 555, student_profile_id: id, group_id: 31, control_form_id: cf,
      date: '07.09.2026', created_at: '2026-09-07T10:00:00.000+05:00', values: [{ original: '5-', five: 4.75, hundred: 95, nmax: 5 }],
    });
    writeFileSync(file, JSON.stringify([m(1, 502), m(2, 777)]));
    const r = await cli(['map', 'epos', 'core/api/marks', file, '--context', JSON.stringify({ timeZone: 'Asia/Yekaterinburg', ref: { controlForms: { 502: 'Контрольная работа' }, groupClass: { 31: 2001 }, periods: { 2001: [[41, '2026-09-01', '2026-10-24']] } } })]);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.entity)).toEqual(['work', 'mark']);
    expect(lines[1]).toMatchObject({ entity: 'mark', raw: '5-', base: 5, modifier: 'minus', weightApplied: 80, markDate: '2026-09-07' });
    expect(r.stderr).toMatch(/"field":"control_form_id"/);
  });
});

describe('journal-gateway emulate epos', () => {
  it('prints one JSON line with the base URL, one account per role and their profile ids', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'emulate', 'epos', '--port', '0', '--seed', '3', '--pupils', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = String((await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next()).value);
      const info = JSON.parse(line) as { platform: string; baseUrl: string; accounts: { role: string; login: string; password: string; token: string; profileId: number }[] };
      expect(info.platform).toBe('epos');
      expect(info.accounts.map((a) => a.role).sort()).toEqual(['administrator', 'parent', 'student', 'teacher']);
      const admin = info.accounts.find((a) => a.role === 'administrator')!;
      const res = await fetch(`${info.baseUrl}/lms/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: admin.login, password_plain: admin.password }) });
      const s = await res.json() as { authentication_token: string; profiles: { id: number }[] };
      expect(s.profiles[0].id).toBe(admin.profileId);
      const years = await fetch(`${info.baseUrl}/core/api/academic_years?pid=${admin.profileId}`, { headers: { 'auth-token': s.authentication_token, 'profile-id': String(admin.profileId) } });
      expect(years.status).toBe(200);
      const noPid = await fetch(`${info.baseUrl}/core/api/academic_years`, { headers: { 'auth-token': s.authentication_token } });
      expect(noPid.status).toBe(400);
      expect(await noPid.json()).toMatchObject({ code: 400, message: expect.stringMatching(/pid/) });
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
