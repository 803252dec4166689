export { asursoDeclaration, asursoConfig, type AsursoConfig } from './declaration.js';
export { createAsursoConnector, weeks } from './connector.js';
export { AsursoAuth, AUTH_ROUTES, ImportedSessionExpiredError, EsiaOnlyHostError } from './auth.js';
export { asursoClassify, THROTTLE_TEXT } from './classify.js';
export { loginHash, passwordDigest } from './hash.js';
export { asursoPlatform } from './platform.js';
