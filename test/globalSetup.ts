/**
 * Runs once before any test file: builds the web app into web/dist when the browser suite will run and the build is
 * missing or older than its sources. Building here, not in each browser test file, matters: `vite build` empties
 * web/dist first, so a file building while another file's browser loads pages makes those pages blank.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'web');
const BUILT = path.join(WEB, 'dist/index.html');

/** The newest modification time (ms) of the files under `dir`, web/dist left out. */
function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (p !== path.join(WEB, 'dist')) t = Math.max(t, newest(p)); } else t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

export default async function setup(): Promise<void> {
  if (!process.env.CORDON_TEST_CHROMIUM) return;
  if (fs.existsSync(BUILT) && fs.statSync(BUILT).mtimeMs >= newest(WEB)) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB, 'vite.config.ts'), logLevel: 'warn' });
}
