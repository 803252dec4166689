export { dnevnikDeclaration, dnevnikConfig, type DnevnikConfig } from './declaration.js';
export { createDnevnikConnector, windows } from './connector.js';
export { DnevnikAuth, AUTH_ROUTES } from './auth.js';
export { dnevnikClassify } from './classify.js';
export { createLearningResolver } from './resolver.js';
export { dnevnikPlatform } from './platform.js';
