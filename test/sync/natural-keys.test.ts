// Structural keys that recognise one roster record across platforms (src/sync/natural-keys.ts).
import { describe, expect, it } from 'vitest';
import { buildRecord, mintId } from '../../src/model/index.js';
import { naturalKeyOf, subjectAliasesOf } from '../../src/sync/natural-keys.js';

const prov = { system: 'asu_rso' as const, instance: 'x', fetchedAt: '2025-09-01T00:00:00Z', payloadHash: 'p', runId: 'r', mapperVersion: 't' };
const org = mintId();
const year = mintId();
const same = (id: string | null | undefined) => id ?? '-';
const cls = (gradeLevel: number, letter: string, title: string) =>
  buildRecord('homeroom_class', { gradeLevel, letter, title, academicYearId: year, organizationId: org }, { id: mintId(), sourceRefs: [], provenance: prov });

describe('natural keys', () => {
  it('a class is one class however a platform writes its title: «5А», «5 А», «5-А», «5 "А"», latin A', () => {
    const keys = [cls(5, 'А', '5А'), cls(5, 'А', '5 А'), cls(5, 'А', '5-А'), cls(5, '"А"', '5 "А"'), cls(5, 'A', '5A'), cls(5, '«а»', '5«а»')].map((c) => naturalKeyOf(c, same));
    expect(new Set(keys).size).toBe(1);
    expect(naturalKeyOf(cls(5, 'Б', '5Б'), same)).not.toBe(keys[0]);
    expect(naturalKeyOf(cls(6, 'А', '6А'), same)).not.toBe(keys[0]);
  });

  it('a subject is matched by its title, or by the title an alias gives it', () => {
    const subject = (title: string) => buildRecord('subject', { code: title, title, organizationId: org, schoolYear: 2026, gradeLevels: [] } as never, { id: mintId(), sourceRefs: [], provenance: prov });
    const aliases = subjectAliasesOf({ 'Английский язык': 'Иностранный язык (английский)' });
    expect(naturalKeyOf(subject('английский  ЯЗЫК'), same, aliases)).toBe(naturalKeyOf(subject('Иностранный язык (английский)'), same));
    expect(naturalKeyOf(subject('Английский язык'), same)).not.toBe(naturalKeyOf(subject('Иностранный язык (английский)'), same));
  });
});
