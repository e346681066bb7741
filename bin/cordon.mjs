#!/usr/bin/env -S node --max-semi-space-size=64
// Entry point of the `cordon` command: runs the TypeScript CLI through tsx (no build step). A young generation of
// 64 MB a half (V8's default is 16): a batch of 10,000 contacts' codes and tasks is collected young instead of
// promoted and swept (docs/BENCHMARKS.md, bench:codes: contacts to tasks 940-1,118 against 792-833 ms on PostgreSQL).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
