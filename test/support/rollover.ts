// "The same school one year later", for the tests of a school-year rollover: two generated years (2025/2026 and
// 2026/2027), the second re-labelled so that its pupils of grade g ≥ 2 are the first year's pupils of grade g − 1 and the
// same letter (promoted, same person ids), with the first year's teachers, staff, parents, school and work types.
// The 11th-graders are gone; 1st-graders (and `newFifthGraders` of the 5th) are new people. Classes, sections,
// subjects and terms get new ids, as a new year on the platform, unless `sameClassIds` keeps each promoted class's id
// and `sameSubjectIds` each subject's of the same title (an emulator deriving platform ids from canonical ids, as
// Дневник.ру's does, then lists them under last year's platform ids).
import { generateSchool, SyntheticSchool } from '../../src/emulators/dataset/index.js';
import type { CanonicalRecord } from '../../src/model/index.js';

export interface Rollover { old: SyntheticSchool; next: SyntheticSchool; promoted: Map<string, string>; graduates: string[]; newcomers: string[] }

export function buildRollover(opts: { pupils: number; weeks: number; seedOld?: number; seedNew?: number; sameClassIds?: boolean; sameSubjectIds?: boolean; newFifthGraders?: number }): Rollover {
  const old = generateSchool({ seed: opts.seedOld ?? 5, pupils: opts.pupils, weeks: opts.weeks, schoolYear: 2026 });
  const fresh = generateSchool({ seed: opts.seedNew ?? 6, pupils: opts.pupils, weeks: opts.weeks, schoolYear: 2027 });
  const o = old.plan.schools[0];
  const f = fresh.plan.schools[0];
  const map = new Map<string, string>();
  const personMap = new Map<string, string>(); // fresh person id → old person id
  map.set(f.id, o.id);
  map.set(fresh.plan.regionId, old.plan.regionId);
  map.set(fresh.plan.municipalityId, old.plan.municipalityId);
  for (const [code, id] of fresh.plan.workTypeIds) map.set(id, old.plan.workTypeIds.get(code)!);
  if (opts.sameSubjectIds) {
    const oldSubjects = new Map(old.records.flatMap((r) => (r.entity === 'subject' ? [[r.title, r.id] as const] : [])));
    for (const r of fresh.records) if (r.entity === 'subject' && oldSubjects.has(r.title)) map.set(r.id, oldSubjects.get(r.title)!);
  }
  const promoted = new Map<string, string>();
  const newcomers: string[] = [];
  let fifthLeftNew = opts.newFifthGraders ?? 0;
  for (const fc of f.classes) {
    const oc = o.classes.find((c) => c.grade === fc.grade - 1 && c.letter === fc.letter);
    if (opts.sameClassIds && oc) map.set(fc.id, oc.id);
    fc.pupils.forEach((pi, k) => {
      const fp = f.pupils[pi];
      if (fc.grade === 5 && fifthLeftNew > 0) { fifthLeftNew--; newcomers.push(fp.id); return; }
      const opi = oc?.pupils[k];
      if (opi === undefined) { newcomers.push(fp.id); return; }
      const op = o.pupils[opi];
      personMap.set(fp.id, op.id);
      promoted.set(op.id, `${fc.grade}${fc.letter}`);
      fp.parents.forEach((g, j) => {
        const og = op.parents[j];
        if (og === undefined) return;
        const fpar = f.parents[g];
        if (!personMap.has(fpar.id) && ![...personMap.values()].includes(o.parents[og].id)) personMap.set(fpar.id, o.parents[og].id);
      });
    });
  }
  f.teachers.forEach((t, i) => { if (o.teachers[i]) personMap.set(t.id, o.teachers[i].id); });
  for (const s of f.staff) { const os = o.staff.find((x) => x.role === s.role); if (os) personMap.set(s.id, os.id); }
  for (const [a, b] of personMap) map.set(a, b);
  const oldById = new Map(old.records.map((r) => [r.id, r]));
  const rename = (s: string) => {
    let out = s;
    for (const [a, b] of map) out = out.split(a).join(b);
    return out;
  };
  const records: CanonicalRecord[] = fresh.records.map((r) => {
    const x = JSON.parse(rename(JSON.stringify(r))) as CanonicalRecord;
    if (x.entity === 'person' && oldById.has(x.id)) {
      const op = oldById.get(x.id) as CanonicalRecord & { gradeLevel?: number };
      const gl = (x as { gradeLevel?: number }).gradeLevel;
      return { ...op, ...(gl !== undefined ? { gradeLevel: gl } : {}) } as CanonicalRecord;
    }
    if ((x.entity === 'organization' || x.entity === 'work_type') && oldById.has(x.id)) return oldById.get(x.id)!;
    return x;
  });
  // The fresh plan's people (accounts) and school carry the old ids and logins.
  const oldPersons = new Map([...o.pupils, ...o.parents, ...o.teachers, ...o.staff].map((p) => [p.id, p]));
  for (const p of [...f.pupils, ...f.parents, ...f.teachers, ...f.staff]) {
    const to = personMap.get(p.id);
    if (!to) continue;
    const op = oldPersons.get(to)!;
    Object.assign(p, { id: op.id, username: op.username, familyName: op.familyName, givenName: op.givenName, middleName: op.middleName, birthDate: op.birthDate, snils: op.snils });
  }
  Object.assign(f, { id: o.id, number: o.number, inn: o.inn, ogrn: o.ogrn, name: o.name, shortName: o.shortName });
  Object.assign(fresh.plan, { regionId: old.plan.regionId, municipalityId: old.plan.municipalityId, instance: old.plan.instance });
  const next = new SyntheticSchool(fresh.input, fresh.plan, records);
  const graduates = o.classes.filter((c) => c.grade === 11).flatMap((c) => c.pupils.map((i) => o.pupils[i].id));
  return { old, next, promoted, graduates, newcomers };
}
