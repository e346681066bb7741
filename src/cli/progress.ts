/** Progress display for long CLI work: a bar on a terminal, plain lines otherwise (CI logs, pipes). */
import cliProgress from 'cli-progress';

export interface Progress {
  update(value: number, payload?: Record<string, string | number>): void;
  stop(): void;
}

/** A progress bar of `total` units labelled `label`; `unit` names what is counted. */
export function progressBar(label: string, total: number, unit = 'bytes'): Progress {
  if (!process.stderr.isTTY) {
    let lastPct = -10;
    return {
      update(value) {
        const pct = total ? Math.floor((value / total) * 100) : 0;
        if (pct >= lastPct + 10) { lastPct = pct; process.stderr.write(`${label}: ${pct}%\n`); }
      },
      stop() { process.stderr.write(`${label}: done\n`); },
    };
  }
  const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rows} rows | eta {eta}s`, stream: process.stderr }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { rows: 0 });
  return { update: (v, p) => bar.update(v, p), stop: () => bar.stop() };
}
