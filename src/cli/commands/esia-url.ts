// `journal-gateway esia url --config FILE`: the v2/ac URL the gateway would send, every parameter
// visible, and the exact string that was signed (esia.md §2; DECISIONS.md §9).
import { esiaClientFromConfig } from '../../auth/esia/from-config.js';
import { loadCheckedConfig } from '../../config/check-platforms.js';

export async function run(opts: { config: string }): Promise<number> {
  const cfg = loadCheckedConfig(opts.config);
  if (!cfg.auth?.esia) throw new Error(`${opts.config}: no auth.esia section (see docs/login.md)`);
  const client = await esiaClientFromConfig(cfg.auth.esia);
  const req = await client.authorizationRequest();
  const out = process.stdout;
  out.write(`${req.url.toString()}\n\n`);
  out.write(`endpoint            ${req.url.origin}${req.url.pathname}\n`);
  for (const [k, v] of Object.entries(req.params)) out.write(`${k.padEnd(24)}${v === '' ? '(empty)' : v}\n`);
  out.write(`\nsigned string (client_id + scope + scope_org + timestamp + state + redirect_uri):\n${req.signedString}\n`);
  out.write(`\nlogout URL          ${client.logoutUrl().toString()}\n`);
  return 0;
}
