// An unknown staff login costs the scrypt work a known login with a wrong password costs (docs/operations.md), so the
// time of a refusal does not tell which logins exist. The stand-in hash an unknown login is checked against had the
// default parameters whatever the accounts' hashes have: with accounts hashed at a higher cost (made before a later,
// costlier default, or by hand), an unknown login was refused in half the time.
import { describe, expect, it } from 'vitest';
import { StaffDirectory, hashPassword, parsePasswordHash } from '../../src/web/staff/index.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

describe('the time of a refused staff login', () => {
  it('is the same for an unknown login as for a known one with a wrong password, at the accounts\' scrypt cost', async () => {
    const costly = { N: 2 ** 17, r: 8, p: 1 };
    const accounts = await Promise.all(['north', 'south'].map(async (login, i) => ({
      login, ref: `web.staff[${i}]`, scope: 'all' as const, hash: parsePasswordHash(await hashPassword('верный-пароль-123', costly)),
    })));
    const dir = new StaffDirectory(accounts);
    await dir.authenticate('warm-up', 'неверный-пароль'); // the stand-in hash is made once
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await timed(() => dir.authenticate('north', 'неверный-пароль')));
      unknown.push(await timed(() => dir.authenticate(`nobody-${i}`, 'неверный-пароль')));
    }
    // N = 2^17 against the default 2^15 is four times the work: the unknown login was refused in about a quarter.
    expect(median(unknown) / median(known)).toBeGreaterThan(0.6);
  }, 60_000);
});
