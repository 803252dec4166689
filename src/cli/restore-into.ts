// `backup restore --into DIR` opens DIR as an embedded store, and opening creates one: given a directory of other
// files (a home directory, a share with documents), the restore spread PostgreSQL's ~20 files and directories among
// them. A new or empty directory is made a store, an existing store is opened as before (the restore then refuses one
// that holds anything, restore.ts); anything else is refused before the backup is even read.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../infra/operator-errors.js';

/** What PGlite writes first into a data directory: its presence is what tells a store from other files. */
const STORE_MARK = 'PG_VERSION';

export function checkRestoreInto(dir: string): void {
  const abs = path.resolve(dir);
  let entries: string[];
  try {
    if (!statSync(abs).isDirectory()) throw new UsageError(`--into ${abs} is a file, not a directory: give a new or empty directory for the restored store`);
    entries = readdirSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // made by the restore
    throw e;
  }
  if (entries.length === 0 || entries.includes(STORE_MARK)) return;
  // The count only, never the names: they may be anyone's documents.
  const hint = entries.includes('store') && isStore(path.join(abs, 'store')) ? ` (a gateway's data directory? its embedded store is ${path.join(abs, 'store')})` : '';
  throw new UsageError(`--into ${abs} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}) and not a gateway store${hint}: nothing was restored. Give a new or empty directory`);
}

function isStore(dir: string): boolean {
  try {
    return readdirSync(dir).includes(STORE_MARK);
  } catch {
    return false;
  }
}
