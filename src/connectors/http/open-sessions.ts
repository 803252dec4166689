// The platform sessions this process has open, so an interrupted run can end them. A one-off `sync` or `push` stopped
// with Ctrl-C or SIGTERM died at once and left its session open: on АСУ РСО the next run of the same account then
// meets «Под вашим логином работает кто-то другой» (a second live session disturbs teachers, platforms.md §1.2).
// The HTTP layer adds a session when a connector opens and removes it when it logs out.

const open = new Set<() => Promise<void>>();

export function sessionOpened(logout: () => Promise<void>): void {
  open.add(logout);
}

export function sessionEnded(logout: () => Promise<void>): void {
  open.delete(logout);
}

export function openSessionCount(): number {
  return open.size;
}

/** Logs every open session out, waiting at most `timeoutMs` in all; how many there were. Never throws. */
export async function endOpenSessions(timeoutMs: number): Promise<number> {
  const sessions = [...open];
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(sessions.map((logout) => logout())),
    new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs); }),
  ]);
  clearTimeout(timer);
  return sessions.length;
}
