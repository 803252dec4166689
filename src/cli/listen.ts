// Listening on an operator's address for `serve` and `worker --metrics-port`: a port another process holds must end
// the command with one line naming the address, not leave it running without listening (or, for a worker, taking
// jobs without its metrics).

/**
 * Listens, or closes what was opened and says which address could not be taken (`what` names the option, e.g.
 * `--metrics-port`). Before, the command printed the error and stayed up with its store and Redis connections open.
 */
export async function listenOrClose(
  app: { listen: (o: { host: string; port: number }) => Promise<unknown> }, host: string, port: number, close: () => Promise<void>, what?: string,
): Promise<void> {
  try {
    await app.listen({ host, port });
  } catch (e) {
    await close().catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    const where = `${what ? `${what}: ` : ''}cannot listen on ${host}:${port}`;
    if (code === 'EADDRINUSE') throw new Error(`${where}: the port is in use by another process (EADDRINUSE)`);
    if (code === 'EADDRNOTAVAIL' || code === 'EACCES') throw new Error(`${where} (${code})`);
    throw e;
  }
}
