// zod schemas of ЭлЖур's own payloads (platforms.md §4.2, §4.3, §4.5). One set serves both formats: JSON
// sends numbers and ids as numbers or strings, XML sends every leaf as a string and empty containers as
// `''` — so ids are read as strings (never through Number: leading zeros are part of the id), numbers are
// coerced, booleans accept `true/yes/__yes/1` (§4.5 [S]). Objects are loose: «types may differ by
// installation» (BetterJournal README) — except the per-record shapes of the mapper's hot path (days, lessons,
// marks, finals), which strip what the mapper does not read instead of copying it (z.looseObject's second pass).
import * as z from 'zod';

// The scalars below run once per field of every mark and lesson. Each is one transform over `unknown` rather than
// a zod union of a string and a number schema: a union runs every branch that fails (ЭлЖур sends the same field
// as a number in one place and a string in another) and allocates its issues, which made the garbage collector
// the largest cost of mapping `getmarks`.
type Ctx = z.RefinementCtx;
const DECIMAL_ID = /^\d+$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const fail = (ctx: Ctx, message: string) => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/** An id: kept as the exact string received (a JSON number becomes its decimal text). */
export const id = z.unknown().transform((v, ctx): string => {
  if (typeof v === 'string' && DECIMAL_ID.test(v)) return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return String(v);
  return fail(ctx, 'expected a decimal id');
});
export const str = z.unknown().transform((v, ctx): string => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return fail(ctx, 'expected a string or a number');
});
/** `''` (XML empty element) and null are absent. */
export const optStr = z.unknown().transform((v, ctx): string | undefined => {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return fail(ctx, 'expected a string or a number');
}).optional();
export const num = z.unknown().transform((v, ctx): number => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && NUMBER.test(v)) return Number(v);
  return fail(ctx, 'expected a number');
});

const TRUE = new Set(['true', 'yes', '__yes', '1']);
const FALSE = new Set(['false', 'no', '0', '']);
/** ЭлЖур booleans: `true/yes/__yes/1` and their negatives, as booleans, numbers or strings. */
export const bool = z.unknown().transform((v, ctx): boolean => {
  if (typeof v === 'boolean') return v;
  if (v === null) return false;
  if (typeof v !== 'number' && typeof v !== 'string') return fail(ctx, 'expected a boolean (true/yes/__yes/1)');
  const s = String(v).toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return fail(ctx, `expected a boolean (true/yes/__yes/1), got "${s.slice(0, 20)}"`);
});

/** An array that XML writes as `<x/>` when empty. */
export const list = <S extends z.ZodType>(item: S) => z.preprocess((v) => (v === '' || v === null || v === undefined ? [] : v), z.array(item));
/** An object keyed by id/date/number that XML writes as `<x/>` when empty. */
export const dict = <S extends z.ZodType>(item: S) => z.preprocess((v) => (v === '' || v === null || v === undefined ? {} : v), z.record(z.string(), item));

/** The envelope of every method (platforms.md §4.2): success `state 200, error null`, failure `error "<text>"`. */
export const Envelope = z.looseObject({
  response: z.looseObject({
    state: num,
    error: z.union([z.string(), z.null()]).optional().transform((v) => (v ? v : null)),
    result: z.unknown(),
  }),
});

/** `/api/auth` result. `expires`: `YYYY-MM-DD hh:mm:ss` [S]. */
export const AuthResult = z.looseObject({ token: z.string().min(1), expires: optStr });

/** `apiv3/getusersvendors?v_token=` — NOT enveloped (§4.2 step 3); one token per school. */
export const UsersVendors = z.looseObject({
  result: z.array(z.looseObject({ token: z.string().min(1), vendor: z.string(), vendor_id: str.optional(), expires: optStr })),
});

export const RulesStudent = z.looseObject({
  name: id, title: z.string().optional(), firstname: z.string().min(1), lastname: z.string().min(1), middlename: optStr,
  gender: optStr, class: z.string().min(1), parallel: num.optional(),
});
export type RulesStudentT = z.infer<typeof RulesStudent>;
export const RulesGroup = z.looseObject({ name: z.string().min(1), parallel: num.optional(), hometeacher_id: optStr });
/** `getrules` (§4.3): the account and its relations — the roster entry point. */
export const Rules = z.looseObject({
  id: id.optional(), name: str, vendor: z.string().optional(), vendor_id: str.optional(), vuid: optStr,
  roles: list(z.string()).optional(),
  relations: z.looseObject({
    groups: dict(RulesGroup),
    schools: list(z.looseObject({ title: z.string().optional(), number: optStr })).optional(),
    students: dict(z.unknown()),
  }),
});
export type Rules = z.infer<typeof Rules>;

export const Period = z.looseObject({
  name: z.string().min(1), fullname: optStr, start: z.string().regex(/^\d{8}$/), end: z.string().regex(/^\d{8}$/),
  disabled: bool.optional(), ambigious: bool.optional(),
});
/** `getperiods`: `students` is an ARRAY here (§4.3). */
export const Periods = z.looseObject({ students: list(z.looseObject({ name: optStr, periods: list(Period) })) });

export const Homework = z.object({ id: optStr, value: z.string().optional(), individual: bool.optional() });
/** One lesson of a day (`getdiary`, `getschedule`). `teacher_id` is what the staff view adds [U]. */
// One per record, on the mapper's hot path: unknown fields are stripped (z.object), not copied (z.looseObject's second pass).
export const DayItem = z.object({
  name: z.string().min(1), num: num, lesson_id: id, topic: optStr, teacher: optStr, teacher_id: id.optional(), grp: optStr,
  room: optStr, starttime: optStr, endtime: optStr, is_control: bool.optional(), homework: dict(Homework).optional(),
});
export const Day = z.object({ name: z.string().regex(/^\d{8}$/), title: optStr, items: dict(z.unknown()) });

export const MarkType = z.object({ id: str.optional(), short: optStr, type: optStr });
/** A mark or an absence in a `marks` array (§4.5): absences have `count:false, convert:0` and value `н`/`оп`. */
// One per record, on the mapper's hot path: unknown fields are stripped (z.object), not copied (z.looseObject's second pass).
export const MarkEntry = z.object({
  value: z.string(), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), lesson_id: id, nm: num.optional(),
  weight: num.optional(), weight_float: num.optional(), comment: optStr,
  mtype: z.union([MarkType, z.literal('')]).optional(),
  // `count`, `convert`, `countas`, `average` are the platform's own averaging inputs: derived, not read.
});
export const SubjectMarks = z.object({ name: z.string().min(1), lesson_id: id.optional(), average: optStr, marks: list(z.unknown()) });

export const FinalItem = z.object({
  name: z.string().min(1), assessments: list(z.object({ period: z.string().min(1), value: z.string(), comment: optStr })),
});
