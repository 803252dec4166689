// An unknown staff login costs the scrypt work a known login with a wrong password costs (docs/operations.md), so the
// time of a refusal does not tell which logins exist. The stand-in hash an unknown login is checked against had the
// default parameters whatever the accounts' hashes have: with accounts hashed at 2^17 (made before a later, costlier
// default, or by hand), an unknown login was refused in a quarter of the time (measured by the review: 0.245).
// Asserted on the parameters, not on a clock: the work scrypt does is set by them.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, hashPassword, parsePasswordHash } from '../../src/web/staff/password.js';
import { standInCost } from '../../src/web/staff/accounts.js';

const hashAt = async (N: number) => parsePasswordHash(await hashPassword('верный-пароль-123', { N, r: 8, p: 1 }));

describe('the stand-in hash of an unknown staff login', () => {
  it('has the accounts\' own scrypt cost, not the default', async () => {
    const costly = await hashAt(2 ** 17);
    expect(standInCost([costly, costly])).toEqual({ N: 2 ** 17, r: 8, p: 1 });
  }, 60_000);

  it('follows most accounts, the costlier on a tie; the default with no accounts', async () => {
    const [a, b] = [await hashAt(2 ** 14), await hashAt(2 ** 16)];
    expect(standInCost([a, a, b])).toEqual({ N: 2 ** 14, r: 8, p: 1 });
    expect(standInCost([a, b])).toEqual({ N: 2 ** 16, r: 8, p: 1 });
    expect(standInCost([])).toEqual(DEFAULT_SCRYPT);
  }, 60_000);
});
