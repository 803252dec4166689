// What an operator reads when the store's PostgreSQL refuses to open: the setting to look at and what to do, never
// the URL's credentials. A server that does not answer may answer later (exit 69); a database the server does not
// have is the configuration's problem (exit 2), as a malformed URL is — retrying cannot create it.
import { ConfigError } from '../config/config-error.js';
import { ServiceUnavailableError } from '../infra/operator-errors.js';

const UNREACHABLE = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'];
/** PostgreSQL's invalid_catalog_name: `database "…" does not exist`. */
const NO_SUCH_DATABASE = '3D000';
const SETTING = 'store.databaseUrl (or DATABASE_URL)';

/** Host and port of the URL, or only the setting's name when the URL cannot be parsed (its text may hold a password). */
function serverOf(url: string): { where: string; host?: string; port?: string } {
  try {
    const u = new URL(url);
    const port = u.port || '5432';
    return { where: `${u.hostname}:${port}`, host: u.hostname, port };
  } catch {
    return { where: 'store.databaseUrl' };
  }
}

/**
 * The error to show for `e`, raised while opening the store at `url`: a ServiceUnavailableError for a server that
 * does not answer, a ConfigError for a database it does not have; any other error (a refused password) as it is.
 */
export function storeOpenError(url: string, e: unknown): unknown {
  const code = (e as { code?: string }).code;
  if (!code) return e;
  const server = serverOf(url);
  if (UNREACHABLE.includes(code)) {
    return new ServiceUnavailableError(`the store's PostgreSQL at ${server.where} does not answer (${code}): start it, or correct store.databaseUrl in the configuration (or DATABASE_URL)`);
  }
  if (code === NO_SUCH_DATABASE) {
    // The server's own words name the database it looked for (a URL without one means the user's name).
    const name = /database "(.+)" does not exist/.exec((e as Error).message ?? '')?.[1] ?? '<name>';
    const createdb = server.host ? `createdb -h ${server.host} -p ${server.port} ${name}` : `createdb ${name}`;
    return new ConfigError([{
      file: '', path: '', fileItself: true,
      message: `${SETTING}: the database ${name === '<name>' ? 'it names' : `"${name}"`} does not exist on the PostgreSQL at ${server.where}: create it (\`${createdb}\`, as a role allowed to create databases), or correct the database name in the URL`,
    }]);
  }
  return e;
}
