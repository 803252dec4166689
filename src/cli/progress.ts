// A one-line progress indicator on stderr for long commands; silent when stderr is not a terminal.
export class Progress {
  private last = 0;
  constructor(private readonly label: string, private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(done: number, total?: number, extra = ''): void {
    if (!this.stream.isTTY) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const pct = total ? ` ${Math.floor((done / total) * 100)}%` : '';
    this.stream.write(`\r${this.label}: ${done.toLocaleString('ru-RU')}${total ? ` / ${total.toLocaleString('ru-RU')}` : ''}${pct} ${extra}\x1b[K`);
  }

  /** Erases the progress line (a command that prints its own result next). */
  clear(): void {
    if (this.stream.isTTY) this.stream.write('\r\x1b[K');
  }

  done(message: string): void {
    if (this.stream.isTTY) this.stream.write('\r\x1b[K');
    this.stream.write(`${this.label}: ${message}\n`);
  }
}
