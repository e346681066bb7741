/** Progress display for long CLI work: a bar on a terminal, plain lines otherwise (CI logs, pipes). */
import cliProgress from 'cli-progress';

export interface Progress {
  update(value: number, payload?: Record<string, string | number>): void;
  /** Ends the display; `done` false when the work was stopped before its end (no "done" line then). */
  stop(done?: boolean): void;
}

/** A progress bar of `total` units labelled `label`; `unit` names what is counted. */
export function progressBar(label: string, total: number, unit = 'bytes'): Progress {
  if (!process.stderr.isTTY) {
    let lastPct = -10;
    return {
      update(value) {
        const pct = total ? Math.floor((value / total) * 100) : 0;
        // Every 10 %, and the end whatever the last step was.
        if (pct >= lastPct + 10 || (pct === 100 && lastPct < 100)) { lastPct = pct; process.stderr.write(`${label}: ${pct}%\n`); }
      },
      stop(done = true) { if (done) process.stderr.write(`${label}: done\n`); },
    };
  }
  const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rows} rows | eta {eta}s`, stream: process.stderr }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { rows: 0 });
  return { update: (v, p) => bar.update(v, p), stop: () => bar.stop() };
}
