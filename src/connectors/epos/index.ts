export { eposDeclaration, eposConfig, type EposConfig } from './declaration.js';
export { createEposConnector } from './connector.js';
export { EposAuth, ImportedTokenExpiredError, SESSIONS_ROUTE } from './auth.js';
export { eposClassify } from './classify.js';
export { eposPlatform } from './platform.js';
