// How the fake ESIA recognises the client: the GOST certificate registered "on the tech portal", or
// the test signer's Ed25519 key when the gost engine is absent.
import { gostVerify } from '../gost/openssl.js';
import { certificateHashOf, testKeyHash, type TestSigner } from '../signer.js';
import type { FakeEsiaClientKey } from './server.js';
import { verify } from 'node:crypto';

export async function gostClientKey(certPem: string): Promise<FakeEsiaClientKey> {
  return { certificateHash: await certificateHashOf(certPem), verify: (data, sig) => gostVerify(data, sig, certPem) };
}

export function testClientKey(signer: TestSigner): FakeEsiaClientKey {
  return { certificateHash: testKeyHash(signer.publicKey), verify: async (data, sig) => verify(null, data, signer.publicKey, sig) };
}
