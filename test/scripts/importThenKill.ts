/**
 * A child process for the kill -9 test: imports a small world and a case through the real pipeline (each file's rows
 * and events committed together), then kills itself with SIGKILL before any event is handled, as a power cut or an
 * OOM kill would. Location of the store: env CORDON_TEST_WHERE (JSON StoreLocation). Times are relative to now.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadEdition } from '../../src/domain/protocol/editions.ts';
import { formatTime } from '../../src/domain/time.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { systemCtx } from '../../src/platform/context.ts';
import { importFile } from '../../src/services/import/importFile.ts';
import { openStore, type StoreLocation } from '../../src/storage/store.ts';
import { idNumber, MINI_REGIONS } from '../fixtures.ts';

const where = JSON.parse(process.env.CORDON_TEST_WHERE!) as StoreLocation;
const store = await openStore(where);
const edition = loadEdition('ed8-delta-2021');
const ctx = systemCtx(systemClock, 'kill-test');
await store.regions.insertMany(MINI_REGIONS);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-kill-'));
const at = (hoursAgo: number) => formatTime(Math.floor(Date.now() / 1000) - hoursAgo * 3600).slice(0, 16).replace('T', ' ');
const feed = async (kind: 'persons' | 'places' | 'presence' | 'cases', lines: string[]) => {
  const file = path.join(dir, `${kind}.csv`);
  fs.writeFileSync(file, lines.join('\n'));
  await importFile({ ctx, store, edition, kind, file, idHashKey: 'kill-key-0123456789' });
};
await feed('persons', ['id_number,name,community_code', ...[1, 2, 3].map((i) => `${idNumber(i)},P${i},430102001001`)]);
await feed('places', ['code,name,category,region_code', 'R1,餐馆,restaurant,430102']);
await feed('presence', ['id_number,place_code,start,end,source', `${idNumber(1)},R1,${at(30)},${at(28)},venue_scan`, `${idNumber(2)},R1,${at(29.5)},${at(28)},venue_scan`]);
await feed('cases', ['case_no,id_number,kind,onset_at,sampled_at,confirmed_at,isolated_at', `K-1,${idNumber(1)},confirmed,${at(20)},${at(6)},${at(2)},${at(2)}`]);
// The feed files go before the kill (what is killed is the store's writer, not the files' clean-up).
fs.rmSync(dir, { recursive: true, force: true });
process.stdout.write('written\n');
process.kill(process.pid, 'SIGKILL');
