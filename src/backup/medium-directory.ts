// Making the directories of a copy on a backup medium, and saying why not. Node's recursive mkdir reports a read-only
// file system (EROFS), and a full one, as ENOENT when the directory does not exist yet (nodejs/node#47098, #42808):
// «ENOENT: no such file or directory, mkdir …/archive» for a directory whose parent is right there, which sends the
// operator looking for a missing path instead of a medium mounted read-only. docs/backup.md promises a full or
// unwritable medium is named.
import { access, constants, mkdir, stat, statfs } from 'node:fs/promises';
import path from 'node:path';

/** `mkdir -p dir`; an ENOENT is replaced by what the nearest existing ancestor says about writing to it. */
export async function makeDirectoryOnMedium(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw (e as NodeJS.ErrnoException).code === 'ENOENT' ? await whyNotMade(dir, e as NodeJS.ErrnoException) : e;
  }
}

async function whyNotMade(dir: string, enoent: NodeJS.ErrnoException): Promise<NodeJS.ErrnoException> {
  const at = await nearestExisting(path.dirname(dir));
  if (!at) return enoent;
  const refused = await access(at, constants.W_OK).then(() => undefined, (e: NodeJS.ErrnoException) => e.code);
  if (refused) return failure(refused, `${at} cannot be written (${refused}), so ${dir} cannot be made`, dir, enoent);
  const fs = await statfs(at).catch(() => undefined);
  if (fs && fs.bavail === 0) return failure('ENOSPC', `no space left on the file system of ${at}, so ${dir} cannot be made`, dir, enoent);
  return enoent; // the ancestor went away meanwhile, or something else: Node's own answer is the best there is
}

async function nearestExisting(p: string): Promise<string | undefined> {
  for (let at = path.resolve(p); ; at = path.dirname(at)) {
    if (await stat(at).then(() => true, () => false)) return at;
    if (path.dirname(at) === at) return undefined;
  }
}

const failure = (code: string, message: string, dir: string, cause: unknown): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: ${message}`, { cause }), { code, syscall: 'mkdir', path: dir });
