// Runs a CLI command function in-process and keeps what it prints on stdout (its exit code and its text).
export async function captureStdout(fn: () => Promise<number>): Promise<{ code: number; printed: string }> {
  const write = process.stdout.write.bind(process.stdout);
  let printed = '';
  process.stdout.write = ((s: string) => { printed += s; return true; }) as typeof process.stdout.write;
  try {
    return { code: await fn(), printed };
  } finally {
    process.stdout.write = write;
  }
}
