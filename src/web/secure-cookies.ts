// Whether the diary's and the staff pages' cookies are `Secure` (with the `__Host-` prefix). `web.publicUrl` says it
// when set. When it is not, the login's registered redirect URI does: ESIA and any OpenID provider send the parent's
// browser back to it, so an https redirect URI means the diary is served over TLS. Before, an unset publicUrl made the
// session cookie plain whatever the deployment, and a parent's session travelled in the clear on any http link.
export function cookiesSecure(publicUrl: string | undefined, redirectUris: readonly (string | undefined)[]): boolean {
  if (publicUrl) return new URL(publicUrl).protocol === 'https:';
  return redirectUris.some((u) => u !== undefined && new URL(u).protocol === 'https:');
}
