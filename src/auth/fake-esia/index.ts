export { FakeEsia, type FakeEsiaOptions, type FakeEsiaClientKey, type FakeEsiaEvent } from './server.js';
export { generateFakeEsiaCertificate, type RsaTestCertificate } from './keys.js';
export { esiaDate, esiaSnils, type FakeEsiaAccount, type FakeEsiaKid } from './people.js';
export { gostClientKey, testClientKey } from './client-keys.js';
