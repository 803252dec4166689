// `web.staff` in the configuration and the password hashes behind it: the errors name the account and what is
// wrong, and never echo a hash or a password.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../src/config/load.js';
import { StaffDirectory, hashPassword, parsePasswordHash, verifyPassword } from '../../src/web/staff/index.js';

const base = [
  'region: { id: t, name: T }',
  'platforms: [{ instance: a, platform: asurso, baseUrl: "http://127.0.0.1:9", auth: { kind: password } }]',
  'schools: [{ id: north, name: Школа, timeZone: Europe/Samara, systemOfRecord: a, platforms: [{ instance: a, schoolId: "1" }] }]',
  'web:',
  '  staff:',
];
const problems = (staff: string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    parseConfigText([...base, ...staff].join('\n'), 'gw.yaml', env);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
};

describe('staff accounts', () => {
  it('a hash verifies its password and no other; the parameters travel with it', async () => {
    const hash = await hashPassword('пароль-сотрудника-1');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('пароль-сотрудника-1', parsePasswordHash(hash))).toBe(true);
    expect(await verifyPassword('пароль-сотрудника-2', parsePasswordHash(hash))).toBe(false);
    await expect(hashPassword('short')).rejects.toThrow('the password is too short (5 characters; at least 12)');
  });

  it('refuses unknown schools, duplicate logins, two or no password sources, and a malformed hash without echoing it', async () => {
    const hash = await hashPassword('пароль-сотрудника-1');
    expect(problems([`    - { login: ivanova, passwordHash: "${hash}", schools: [north] }`])).toBe('');
    expect(problems([`    - { login: ivanova, passwordHash: "${hash}", schools: [south] }`])).toContain('web.staff[0].schools[0]: no school "south" in schools[] (nor a canonical organization id)');
    expect(problems([`    - { login: ivanova, passwordHash: "${hash}", schools: all }`, `    - { login: ivanova, passwordHash: "${hash}", schools: all }`]))
      .toContain('web.staff[1].login: duplicate staff login (the same as an earlier entry of web.staff)');
    expect(problems(['    - { login: ivanova, schools: all }'])).toContain('set exactly one of passwordHash and passwordHashEnv');
    expect(problems([`    - { login: ivanova, passwordHash: "${hash}", passwordHashEnv: JG_H, schools: all }`])).toContain('set exactly one of passwordHash and passwordHashEnv');
    const malformed = problems(['    - { login: ivanova, passwordHash: "md5$secretvalue", schools: all }']);
    expect(malformed).toContain('not a scrypt password hash');
    expect(malformed).not.toContain('secretvalue');
    expect(problems(['    - { login: Ivanova Anna, passwordHash: x, schools: all }'])).toContain('web.staff[0].login');
    expect(problems(['    - { login: ivanova, passwordHashEnv: JG_H, schools: [] }'])).toContain('list at least one school, or write `all`');
  });

  it('a hash from the environment is checked when the server starts, naming the variable, not its value', () => {
    const cfg = parseConfigText([...base, '    - { login: ivanova, passwordHashEnv: JG_TEST_HASH, schools: [north] }'].join('\n'), 'gw.yaml', {});
    expect(() => StaffDirectory.fromConfig(cfg, {})).toThrow('web.staff[0]: environment variable JG_TEST_HASH (passwordHashEnv) is empty or not set');
    expect(() => StaffDirectory.fromConfig(cfg, { JG_TEST_HASH: 'scrypt$1$8$1$abc$def' })).toThrow('web.staff[0]: environment variable JG_TEST_HASH: scrypt password hash: N must be a power of two');
  });
});
