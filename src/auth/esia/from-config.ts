// Builds the signer, the token verifier and the ESIA client from the `auth.esia` configuration section.
import { readFile } from 'node:fs/promises';
import type { EsiaConfig, EsiaSignerConfig } from '../config.js';
import { OpenSslGostSigner, RemoteHttpSigner, TestSigner, type EsiaSigner } from '../signer.js';
import { EsiaClient } from './client.js';
import { GostCertificateVerifier, Rs256CertificateVerifier, type EsiaTokenVerifier } from './tokens.js';

export function signerFromConfig(s: EsiaSignerConfig, env: NodeJS.ProcessEnv = process.env): EsiaSigner {
  switch (s.kind) {
    case 'openssl-gost':
      return new OpenSslGostSigner({ keyFile: s.keyFile, certFile: s.certFile }, s.opensslPath ? { opensslPath: s.opensslPath } : {});
    case 'remote': {
      const token = s.tokenEnv ? env[s.tokenEnv] : undefined;
      if (s.tokenEnv && !token) throw new Error(`auth.esia.signer.tokenEnv: environment variable ${s.tokenEnv} is not set`);
      return new RemoteHttpSigner({ url: s.url, reverseBytes: s.reverseBytes, ...(token ? { token } : {}) });
    }
    case 'test':
      return new TestSigner(env);
  }
}

export async function verifierFromConfig(cfg: EsiaConfig): Promise<EsiaTokenVerifier> {
  let pem: string;
  try {
    pem = await readFile(cfg.esiaCertificateFile, 'utf8');
  } catch (e) {
    throw new Error(`auth.esia.esiaCertificateFile: cannot read ${cfg.esiaCertificateFile} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return cfg.tokenAlg === 'RS256' ? new Rs256CertificateVerifier(pem) : new GostCertificateVerifier(pem);
}

export async function esiaClientFromConfig(cfg: EsiaConfig, overrides: { signer?: EsiaSigner } = {}): Promise<EsiaClient> {
  return new EsiaClient({
    baseUrl: cfg.baseUrl, issuer: cfg.issuer, clientId: cfg.clientId, redirectUri: cfg.redirectUri, scope: cfg.scope, scopeOrg: cfg.scopeOrg,
    accessType: cfg.accessType, signer: overrides.signer ?? signerFromConfig(cfg.signer), verifier: await verifierFromConfig(cfg),
    clockSkewSeconds: cfg.clockSkewSeconds, timestampOffsetMinutes: cfg.timestampOffsetMinutes, allowInsecureHttp: cfg.allowInsecureHttp,
    ...(cfg.logoutRedirectUrl ? { logoutRedirectUrl: cfg.logoutRedirectUrl } : {}),
  });
}
