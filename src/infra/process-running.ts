// Whether a process id of this machine stands for a running process: for a lock or a temporary file whose writer may
// have been killed (the embedded store's lock, atomic outputs' leftovers). Signal 0 checks without sending anything;
// EPERM means a process runs under another user — running, and perhaps another program that took the id since.
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
