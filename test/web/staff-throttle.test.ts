// The staff login lockout on an injected clock: when a login or an address locks, for how long, and what a
// success or the passing of the window clears.
import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../src/web/staff/index.js';

const MIN = 60_000;
const rig = () => {
  let now = 0;
  const t = new LoginThrottle({ perLogin: 3, perAddress: 5, windowMs: 15 * MIN, lockMs: 10 * MIN }, () => now);
  return { t, advance: (ms: number) => { now += ms; } };
};

describe('staff login lockout', () => {
  it('locks a login after its limit of failures, for the lock time, whatever its case or spaces', () => {
    const { t, advance } = rig();
    t.failed('Operator', '10.0.0.1');
    t.failed('operator ', '10.0.0.2');
    expect(t.lockedFor('operator', '10.0.0.3')).toBe(0);
    t.failed('operator', '10.0.0.3');
    expect(t.lockedFor('OPERATOR', '10.0.0.9')).toBe(10 * MIN);
    advance(10 * MIN - 1);
    expect(t.lockedFor('operator', '10.0.0.9')).toBe(1);
    advance(1);
    expect(t.lockedFor('operator', '10.0.0.9')).toBe(0);
  });

  it('a success clears the login\'s count; failures older than the window do not add up', () => {
    const { t, advance } = rig();
    t.failed('a', 'x');
    t.failed('a', 'x');
    t.succeeded('a');
    t.failed('a', 'x');
    t.failed('a', 'x');
    expect(t.lockedFor('a', 'y')).toBe(0);
    advance(16 * MIN);
    t.failed('a', 'y');
    expect(t.lockedFor('a', 'z')).toBe(0);
  });

  it('locks an address that fails across many logins (password spraying), not the logins', () => {
    const { t } = rig();
    for (const login of ['a', 'b', 'c', 'd', 'e']) t.failed(login, '10.0.0.1');
    expect(t.lockedFor('someone-else', '10.0.0.1')).toBe(10 * MIN);
    expect(t.lockedFor('a', '10.0.0.2')).toBe(0);
  });
});
