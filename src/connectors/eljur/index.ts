export { eljurDeclaration, eljurConfig, type EljurConfig } from './declaration.js';
export { createEljurConnector } from './connector.js';
export { EljurAuth, AUTH_ROUTES } from './auth.js';
export { eljurClassify, envelopeState } from './classify.js';
export { eljurPlatform } from './platform.js';
