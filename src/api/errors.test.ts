import fs from 'node:fs';
import { expect, it } from 'vitest';
import { ERRORS } from './errors.ts';

it('docs/errors.md lists exactly the codes and statuses of src/api/errors.ts', () => {
  const md = fs.readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...md.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
  expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(Object.entries(ERRORS).map(([code, e]) => [code, e.status])));
});
