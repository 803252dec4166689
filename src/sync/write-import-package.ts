// Where an ЭлЖур import package goes on disk (`eljur-package --out DIR`, a migration into ЭлЖур): one directory holding
// exactly the package's files, renamed into place whole (src/infra/atomic-directory.ts) — a half-written package has
// no manifest.json and the support team's loader refuses it. An earlier package in DIR is replaced.
import { isPackageFileName, type ImportPackage } from '../connectors/eljur/import/index.js';
import { writeDirectoryAtomic } from '../infra/atomic-directory.js';

export function writeImportPackage(dir: string, pkg: ImportPackage): void {
  writeDirectoryAtomic(dir, pkg.files, { isOwnFile: isPackageFileName, what: 'an ЭлЖур import package' });
}
