// Making the directories of a copy on a backup medium, and saying why not. Only the directories *below* a destination's
// own directory are made, never that directory: it is made once by the operator on the mounted medium, so a medium
// that is not mounted shows as a missing directory instead of receiving a copy on the system disk (docs/backup.md).
// Node's recursive mkdir reports a read-only file system, and a full one, as ENOENT when the directory does not exist
// yet (nodejs/node#47098, #42808); an ENOENT here is therefore checked against what the nearest existing directory
// says about writing to it, so that a medium mounted read-only or full is named as such.
import { access, constants, mkdir, stat, statfs } from 'node:fs/promises';
import path from 'node:path';

/**
 * Makes `dir` and every directory between it and `root`, one level at a time, never `root` itself (the caller has
 * checked it exists: destinations.ts checkDestinationRoots). A root gone meanwhile fails with ENOENT.
 */
export async function makeDirectoryOnMedium(root: string, dir: string): Promise<void> {
  const rel = path.relative(root, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`backup: ${dir} is not under the destination's directory ${root}`);
  let at = root;
  for (const part of rel.split(path.sep).filter(Boolean)) {
    at = path.join(at, part);
    try {
      await mkdir(at);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EEXIST') continue; // made by an earlier run; a file in the way fails at the next step (ENOTDIR)
      throw err.code === 'ENOENT' ? await whyNotMade(at, err) : err;
    }
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
