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

  it('a burst of simultaneous guesses: each attempt counts before the password is checked, so the burst stops at the limit', () => {
    const { t } = rig();
    // As the server does for requests arriving together: attempt() for each before any password check finishes.
    const waits = Array.from({ length: 12 }, (_, i) => t.attempt('operator', `10.0.1.${i}`));
    expect(waits.filter((w) => w === 0)).toHaveLength(3); // perLogin: 3 are let through to the password check
    expect(waits.slice(3).every((w) => w === 10 * MIN)).toBe(true);
    // A right password among the first three takes its count back and clears the login's lock.
    t.succeeded('operator', '10.0.1.0');
    expect(t.lockedFor('operator', '10.0.9.9')).toBe(0);
  });

  it('a flood of made-up logins does not push a locked login out of the table (and so unlock it)', () => {
    const { t } = rig();
    for (let i = 0; i < 3; i++) t.failed('north', '10.0.0.1');
    expect(t.lockedFor('north', '10.9.9.9')).toBe(10 * MIN);
    for (let i = 0; i < 10_050; i++) t.failed(`made-up-${i}`, `10.1.${Math.floor(i / 4)}.${i % 4}`);
    expect(t.lockedFor('north', '10.9.9.9')).toBe(10 * MIN);
  });

  it('an IPv6 client is one address across its /64: picking a new address inside it per attempt does not escape the lock', () => {
    const { t } = rig();
    // One customer's /64 (a home router, a VPS) gives its holder every address inside: the address lock counts the
    // network, or a spraying client chose a fresh address per attempt and was never locked.
    for (let i = 1; i <= 5; i++) t.failed(`guess-${i}`, `2001:db8:5:7::${i.toString(16)}`);
    expect(t.lockedFor('someone-else', '2001:db8:5:7:a1b2:c3d4:e5f6:1')).toBe(10 * MIN);
    expect(t.lockedFor('someone-else', '2001:0db8:0005:0007::9')).toBe(10 * MIN);
    // Another /64 is another client; IPv4 addresses count one by one as before.
    expect(t.lockedFor('someone-else', '2001:db8:5:8::1')).toBe(0);
    for (let i = 1; i <= 4; i++) t.failed(`guess-${i}`, `10.0.0.${i}`);
    expect(t.lockedFor('someone-else', '10.0.0.5')).toBe(0);
  });
});
