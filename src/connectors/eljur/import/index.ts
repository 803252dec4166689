export { buildImportPackage, type ImportPackage, type ImportPackageOptions, type Manifest } from './build.js';
export { verifyImport, expectedFromEljur, VERIFIED, type ImportVerification } from './verify.js';
export { FILES, isPackageFileName, PACKAGE_FORMAT, PACKAGE_VERSION, type PackageFile } from './files.js';
export { parseCsv, toCsv } from './csv.js';
export { packageNotCarried, PACKAGE_UNCARRIED } from './not-carried.js';
