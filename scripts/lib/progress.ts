/** A one-line text progress bar on stderr (redrawn in place on a TTY, every 5% otherwise). */
export class Progress {
  private readonly start = Date.now();
  private lastPct = -1;

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number): void {
    const pct = this.total ? Math.floor((100 * done) / this.total) : 100;
    const tty = process.stderr.isTTY;
    if (!tty && pct < this.lastPct + 5 && done !== this.total) return;
    if (pct === this.lastPct && done !== this.total) return;
    this.lastPct = pct;
    const elapsed = (Date.now() - this.start) / 1000;
    const eta = done > 0 ? (elapsed * (this.total - done)) / done : 0;
    const width = 30;
    const filled = Math.round((width * pct) / 100);
    const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
    const line = `${this.label} [${bar}] ${done}/${this.total} ${pct}% ${elapsed.toFixed(0)}s eta ${eta.toFixed(0)}s`;
    process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    if (tty && done === this.total) process.stderr.write('\n');
  }
}
