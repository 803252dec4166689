import { describe, expect, it } from 'vitest';
import { coverPupils, homeworkBlocks, lessonHomework, placeable, type PlacedHomework } from '../../src/connectors/epos/homework.js';
import { eposMapper } from '../../src/mappers/epos/index.js';

describe('ЭПОС homework: whom to ask', () => {
  it('asks as few pupils as cover every group with pupils, preferring the pupil in most uncovered groups', () => {
    const groups = [
      { id: 1, student_ids: [10, 11, 12] }, // whole class
      { id: 2, student_ids: [10, 11] }, // subgroup 1
      { id: 3, student_ids: [12] }, // subgroup 2
      { id: 4, student_ids: [] }, // no pupils: nothing to ask
      { id: 5, student_ids: [20] }, // another class
    ];
    const chosen = coverPupils(groups);
    expect(chosen).toEqual([10, 12, 20]);
    for (const g of groups.filter((x) => x.student_ids.length)) expect(g.student_ids.some((p) => chosen.includes(p)), `group ${g.id}`).toBe(true);
  });

  it('groups read windows into blocks of at most 28 days, never across a gap between ranges', () => {
    const wins: [string, string][] = [
      ['2025-09-01', '2025-09-07'], ['2025-09-08', '2025-09-14'], ['2025-09-15', '2025-09-21'], ['2025-09-22', '2025-09-28'],
      ['2025-09-29', '2025-10-05'], // would make the block 35 days
      ['2025-11-10', '2025-11-16'], // another range (a sweep slice)
    ];
    expect(homeworkBlocks(wins).map((b) => [b.from, b.to, b.windows.length])).toEqual([
      ['2025-09-01', '2025-09-28', 4], ['2025-09-29', '2025-10-05', 1], ['2025-11-10', '2025-11-16', 1],
    ]);
  });
});

describe('ЭПОС homework: which lesson', () => {
  const items = [
    { id: 100, date: '2025-09-01', group_id: 1, study_ordinal: 3 },
    { id: 101, date: '2025-09-01', group_id: 1, study_ordinal: 2 }, // the group's first lesson that day
    { id: 102, date: '2025-09-02', group_id: 1, study_ordinal: 1 },
  ];
  const hw = (over: Partial<PlacedHomework>): PlacedHomework => ({ group: 1, assigned: '2025-09-01', due: '2025-09-02', text: 'Упр. 1', ...over });

  it('an entry naming its lesson goes there; one naming none goes to the group\'s first lesson of the day it was set', () => {
    expect(lessonHomework(items, [hw({ lesson: 100, text: 'Упр. 5' }), hw({ text: 'Упр. 7', due: '2025-09-04' })])).toEqual({
      100: ['Упр. 5', '2025-09-02'], 101: ['Упр. 7', '2025-09-04'],
    });
  });

  it('two entries of one lesson are joined line by line with the earlier due day; a due day equal to the day set is none', () => {
    expect(lessonHomework(items, [hw({ text: 'Упр. 1', due: '2025-09-05' }), hw({ text: 'Упр. 2', due: '2025-09-03' }), hw({ assigned: '2025-09-02', due: '2025-09-02', text: 'Стих' })])).toEqual({
      101: ['Упр. 1\nУпр. 2', '2025-09-03'], 102: ['Стих', ''],
    });
  });

  it('an entry whose lesson or day is not among the items is left for the read that has them', () => {
    expect(lessonHomework(items, [hw({ lesson: 999 }), hw({ assigned: '2025-09-03' }), hw({ group: 2 })])).toEqual({});
  });

  it('takes each valid entry with text once, however many pupils\' answers list it', () => {
    const entry = (id: number, description: string | null) => ({ id, homework_entry: { id, description, homework: { group_id: 1, date_assigned_on: '01.09.2025', date_prepared_for: '02.09.2025' } } });
    const placed = placeable([[entry(1, ' Упр. 1 '), entry(2, '  '), entry(3, null)], [entry(1, ' Упр. 1 '), { id: 4 }], { error: 'not a list' }]);
    expect(placed).toEqual([{ group: 1, assigned: '2025-09-01', due: '2025-09-02', lesson: undefined, text: 'Упр. 1' }]);
  });
});

describe('ЭПОС homework: mapping', () => {
  const ctx = { system: 'epos' as const, instance: 't', runId: 'r', mapperVersion: 'epos-1', fetchedAt: '2025-09-01T00:00:00Z', timeZone: 'Asia/Yekaterinburg', ids: {} };

  it('a homework answer maps to no record of its own, and an entry that cannot be read is quarantined, not dropped', () => {
    const good = { id: 1, homework_entry: { id: 1, description: 'Упр. 1', homework: { group_id: 1, date_assigned_on: '01.09.2025', date_prepared_for: '02.09.2025' } } };
    const bad = { id: 2, homework_entry: { id: 2, description: 'Упр. 2', homework: { group_id: 1, date_assigned_on: '2025-09-01', date_prepared_for: '02.09.2025' } } };
    const r = eposMapper('core/api/student_homeworks', [good, bad], ctx);
    expect(r.records).toEqual([]);
    expect(r.quarantine).toHaveLength(1);
    expect(r.quarantine[0]).toMatchObject({ route: 'core/api/student_homeworks', sourceId: '2', field: '1.homework_entry.homework.date_assigned_on' });
  });
});
