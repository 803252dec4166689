// `journal-gateway schedules` compares what Redis holds with the config: a changed cron or time zone is not "yes".
import { describe, expect, it } from 'vitest';
import { inConfigState, type ScheduleEntry } from '../../src/jobs/schedules.js';

const entry = (pattern: string, tz: string): ScheduleEntry => ({ id: 'roster-sync__s1', kind: 'roster-sync', schoolId: 's1', pattern, tz });

describe('schedules: in config', () => {
  it('says yes only when cron and time zone match, and what the config now says when they do not', () => {
    const desired = new Map([['roster-sync__s1', entry('0 5 * * *', 'Asia/Omsk')]]);
    expect(inConfigState(entry('0 5 * * *', 'Asia/Omsk'), desired)).toBe('yes');
    expect(inConfigState(entry('0 2 * * *', 'Europe/Samara'), desired)).toBe('changed to 0 5 * * * Asia/Omsk (at next worker start, or --apply)');
    expect(inConfigState(entry('0 5 * * *', 'Europe/Samara'), desired)).toBe('changed to 0 5 * * * Asia/Omsk (at next worker start, or --apply)');
    expect(inConfigState({ id: 'grade-push__s2', pattern: '0 3 * * *', tz: 'Europe/Samara' }, desired)).toBe('no (removed at next worker start)');
  });
});
