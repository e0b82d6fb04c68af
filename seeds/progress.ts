/**
 * A progress bar on stderr: redrawn in place on a terminal, a line about every 10% otherwise. Used by the synthetic
 * loader and the benchmark.
 */
export function progressReporter(started: number = performance.now(), indent = '') {
  const tty = Boolean(process.stderr.isTTY);
  let lastPhase = '';
  let lastDecile = -1;
  let lastDraw = 0;
  let open = false;
  const line = (done: number, total: number, phase: string) => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(fraction * 20);
    const percent = String(Math.floor(fraction * 100)).padStart(3);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    return `${indent}[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${percent}% ${phase} ${done}/${total} ${seconds}s`;
  };
  return {
    update(done: number, total: number, phase: string) {
      const finished = done >= total;
      if (tty) {
        const now = performance.now();
        if (phase === lastPhase && !finished && now - lastDraw < 100) return;
        if (phase !== lastPhase && open) process.stderr.write('\n');
        lastDraw = now;
        lastPhase = phase;
        process.stderr.write(`\r${line(done, total, phase)}\x1b[K`);
        open = true;
        if (finished) {
          process.stderr.write('\n');
          open = false;
        }
        return;
      }
      const decile = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (phase !== lastPhase) {
        lastPhase = phase;
        lastDecile = -1;
      }
      if (decile === lastDecile) return;
      lastDecile = decile;
      process.stderr.write(`${line(done, total, phase)}\n`);
    },
    end() {
      if (tty && open) process.stderr.write('\n');
      open = false;
    },
  };
}
