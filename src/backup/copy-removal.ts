// How prune removes a copy proven this snapshot's, so that a prune stopped at any point (killed, a power cut, a
// reboot for updates) leaves what the next prune can still prove this snapshot's and finish. One recursive rm took the
// entries in whatever order the filesystem lists them: stopped partway, it could leave data files with neither
// manifest.json nor manifest.sig — the proof (copy-identity.ts) — and the next prune kept the snapshot naming an
// "unproven" directory for the operator to delete by hand. So the proof goes last: the data, then manifest.json (while
// manifest.sig still proves the copy), then manifest.sig, then the directory, by then empty (copy-identity.ts: an
// empty directory at a copy's location is removed, as it holds nothing).
import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_FILE, SIGNATURE_FILE } from './manifest.js';

export async function removeCopy(location: string): Promise<void> {
  for (const name of await readdir(location)) {
    if (name !== MANIFEST_FILE && name !== SIGNATURE_FILE) await rm(path.join(location, name), { recursive: true, force: true });
  }
  await rm(path.join(location, MANIFEST_FILE), { force: true });
  await rm(path.join(location, SIGNATURE_FILE), { force: true });
  await rmdir(location);
}
