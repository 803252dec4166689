// What a journal read looks up when a group's or a term's platform id names another school year's record
// (src/sync/journal-year-links.ts, Store.linkHistory): every link the id ever had, closed ones too. The only index on
// the source key is the partial one of open links (001), which a query over closed rows cannot use, so each such read
// scanned the whole crosswalk — every mark of every school. This index holds the year-scoped entities only (groups,
// terms, classes, subjects: hundreds of rows a school, not the journal's millions), so a journal write pays nothing.
export const name = 'year-scoped-link-history';

export const sql = `
CREATE INDEX crosswalk_year_scoped_source ON crosswalk (system, instance, entity, source_id)
  WHERE entity IN ('academic_session', 'subject', 'homeroom_class', 'section');
`;
