// `migrate`'s usage mistakes (--verify-import with --dry-run, --verify-import into a platform written through its
// API) are refused before anything opens: no store, no Redis, no login to either platform. The platforms below
// count every request they get: a refused command line must leave both counts at 0.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(path.join(tmpdir(), 'jg-migrate-usage-'));
const data = path.join(dir, 'data');
let requests = 0;
let server: Server;
let cfg: string;

beforeAll(async () => {
  // Answers nothing useful: any request here is a login (or a read) the refused command should not have made.
  server = createServer((_req, res) => { requests++; res.statusCode = 503; res.end(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cfg = path.join(dir, 'gateway.yaml');
  writeFileSync(cfg, `region: { id: t, name: T, timeZone: Europe/Samara }
store: { dataDir: ${JSON.stringify(data)} }
redis: { url: "redis://127.0.0.1:1" }
platforms:
  - { instance: asurso-a, platform: asurso, baseUrl: "${base}", auth: { kind: password, login: a, password: b }, options: { loginSchoolId: 1 } }
  - { instance: dnevnik-a, platform: dnevnik, baseUrl: "${base}", auth: { kind: partner_oauth, clientId: a, clientSecret: b, refreshToken: c } }
  - { instance: eljur-a, platform: eljur, baseUrl: "${base}", auth: { kind: credentials, login: a, password: b }, options: { devkey: k, vendor: v } }
schools:
  - id: s1
    name: School 1
    timeZone: Europe/Samara
    systemOfRecord: asurso-a
    platforms: [{ instance: asurso-a, schoolId: "1" }, { instance: dnevnik-a, schoolId: "2" }, { instance: eljur-a, schoolId: "v" }]
`);
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, LOG_PRETTY: '0', REDIS_URL: '' }, timeout: 60_000, killSignal: 'SIGKILL' },
      (err, _stdout, stderr) => resolve({ code: err ? ((err as { killed?: boolean }).killed ? null : (err as { code?: number }).code ?? 1) : 0, stderr }));
  });
}

describe('migrate: a wrong combination of options is refused before any login', () => {
  it('--verify-import with --dry-run, and --verify-import into a platform with a write API, exit 64 with no request made', async () => {
    const migrate = ['migrate', '--config', cfg, '--school', 's1', '--from', 'asurso-a'];
    const both = await cli([...migrate, '--to', 'eljur-a', '--verify-import', '--dry-run']);
    expect(both.code, both.stderr).toBe(64);
    expect(both.stderr).toMatch(/--verify-import and --dry-run go separately/);
    const notEljur = await cli([...migrate, '--to', 'dnevnik-a', '--verify-import']);
    expect(notEljur.code, notEljur.stderr).toBe(64);
    expect(notEljur.stderr).toMatch(/--verify-import is for a target that takes an import package \(ЭлЖур\); dnevnik-a is written through its API/);
    expect(requests, 'requests made to the platforms before the usage error').toBe(0);
    expect(existsSync(data), 'the store was opened for a refused command line').toBe(false);
  }, 150_000);

  it('--verify-import on a store that never ran the package stage says so before logging into either platform', async () => {
    const before = requests;
    const r = await cli(['migrate', '--config', cfg, '--school', 's1', '--from', 'asurso-a', '--to', 'eljur-a', '--verify-import']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/--verify-import: school s1 was never read into this store — run the package stage first/);
    expect(requests - before, 'requests made to the platforms before saying the store holds nothing to verify').toBe(0);
  }, 150_000);
});
