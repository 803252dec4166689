// The optional `auth` and `web` sections of the gateway configuration (DECISIONS.md §9). Defaults
// follow esia.md: new scheme, RS256 tokens checked against the ESIA certificate from a file, minimal
// scopes (152-ФЗ), `access_type=online` (no stored ESIA tokens unless refresh is truly needed).
import * as z from 'zod';
import { StaffAccountConfig, duplicateLogins } from '../web/staff/config.js';
import { TrustProxySetting } from '../web/trust-proxy.js';

export const ESIA_PRODUCTION = { baseUrl: 'https://esia.gosuslugi.ru', issuer: 'http://esia.gosuslugi.ru/' } as const;
export const ESIA_TEST_CONTOUR = { baseUrl: 'https://esia-portal1.test.gosuslugi.ru', issuer: 'http://esia-portal1.test.gosuslugi.ru/' } as const;
export const DEFAULT_ESIA_SCOPE = 'openid fullname kid_fullname kid_birthdate kid_snils';

export const EsiaSignerConfig = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('openssl-gost'),
    /** PEM GOST R 34.10-2012 (256) private key; keep it outside images and repositories. */
    keyFile: z.string().min(1),
    /** PEM client certificate bound to the system on the tech portal. */
    certFile: z.string().min(1),
    opensslPath: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal('remote'),
    url: z.url(),
    /** Name of the environment variable holding the service's bearer token. */
    tokenEnv: z.string().optional(),
    /** CryptoPro-backed services answer in reversed byte order. */
    reverseBytes: z.boolean().default(false),
  }),
  z.strictObject({ kind: z.literal('test') }),
]);

export const EsiaConfig = z.strictObject({
  baseUrl: z.url().default(ESIA_PRODUCTION.baseUrl),
  /** `iss` in ESIA tokens: http, trailing slash (esia.md §1). */
  issuer: z.string().min(1).default(ESIA_PRODUCTION.issuer),
  /** The system's mnemonic from the tech portal. */
  clientId: z.string().min(1),
  /** Registered exactly on the tech portal; identical in ac and te (ESIA-007023). */
  redirectUri: z.url(),
  /** Where ESIA returns after its own logout (`redirect_url`). */
  logoutRedirectUrl: z.url().optional(),
  scope: z.string().min(1).default(DEFAULT_ESIA_SCOPE),
  scopeOrg: z.string().default(''),
  accessType: z.enum(['online', 'offline']).default('online'),
  /** How ESIA signs its tokens for this system (tech portal setting); RS256 recommended (esia.md §0.5). */
  tokenAlg: z.enum(['RS256', 'GOST3410_2012_256']).default('RS256'),
  /** PEM of ESIA's signing certificate (from esia.zip); rotation is a config change. */
  esiaCertificateFile: z.string().min(1),
  clockSkewSeconds: z.number().int().min(0).max(300).default(60),
  /** Offset of the timestamp's wall clock from UTC, in minutes (180 = Moscow); ESIA accepts +0000. */
  timestampOffsetMinutes: z.number().int().min(-720).max(840).default(0),
  /** Only accounts ESIA marks confirmed may link children (esia.md §4 step 3). */
  requireTrustedAccount: z.boolean().default(true),
  signer: EsiaSignerConfig,
  /** Plain http to ESIA: the local fake only. */
  allowInsecureHttp: z.boolean().default(false),
});

export const OidcConfig = z.strictObject({
  /** Issuer URL; discovery reads `/.well-known/openid-configuration` under it. */
  issuer: z.url(),
  clientId: z.string().min(1),
  /** Environment variable holding the client secret (public client with PKCE when absent). */
  clientSecretEnv: z.string().optional(),
  redirectUri: z.url(),
  scope: z.string().default('openid'),
  /** Claim with the parent's SNILS-verified children, if the broker passes ESIA's kids through. */
  childrenClaim: z.string().optional(),
  allowInsecureHttp: z.boolean().default(false),
});

export const AuthConfig = z.strictObject({
  esia: EsiaConfig.optional(),
  oidc: OidcConfig.optional(),
});

export const WebConfig = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  /** Public origin behind a proxy, e.g. https://dnevnik.example.ru; https makes cookies Secure. */
  publicUrl: z.url().optional(),
  /** The reverse proxies whose X-Forwarded-For is believed: their addresses or networks; `true` trusts the client (src/web/trust-proxy.ts). */
  trustProxy: TrustProxySetting.default(false),
  sessionTtlMinutes: z.number().int().min(1).max(24 * 60).default(30),
  /** Environment variable holding the staff token for /metrics and /status (docs/operations.md); unset = closed. */
  staffTokenEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'an environment variable name, e.g. JG_STAFF_TOKEN' }).optional(),
  /** Staff accounts: login form at /staff, reports, status page and queue dashboard (docs/operations.md). */
  staff: z.array(StaffAccountConfig).default([]).superRefine((list, ctx) => {
    for (const i of duplicateLogins(list)) ctx.addIssue({ code: 'custom', path: [i, 'login'], message: `duplicate staff login (the same as an earlier entry of web.staff)` });
  }),
});

export type EsiaConfig = z.infer<typeof EsiaConfig>;
export type EsiaSignerConfig = z.infer<typeof EsiaSignerConfig>;
export type OidcConfig = z.infer<typeof OidcConfig>;
export type AuthConfig = z.infer<typeof AuthConfig>;
export type WebConfig = z.infer<typeof WebConfig>;
