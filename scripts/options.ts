/**
 * The options of a validation script, read strictly (node:util's parseArgs): `--help` prints the usage and exits 0; an
 * option the script does not take, or one without its value, is refused with the usage and exit code 2, so a typo
 * (`--index-case 8`) never runs the defaults unnoticed.
 */
import { parseArgs } from 'node:util';

/** Each option's default (every value is text, as typed) and what it is. */
export type OptionSpec = Readonly<Record<string, { default: string; help: string }>>;

export function readOptions<S extends OptionSpec>(command: string, spec: S, argv: readonly string[] = process.argv.slice(2)): { [K in keyof S]: string } {
  const usage = [`usage: ${command}${Object.keys(spec).map((k) => ` [--${k} ${spec[k].default}]`).join('')}`,
    ...Object.entries(spec).map(([k, o]) => `  --${k.padEnd(14)} ${o.help} (default ${o.default})`)].join('\n');
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: { help: { type: 'boolean' }, ...Object.fromEntries(Object.entries(spec).map(([k, o]) => [k, { type: 'string' as const, default: o.default }])) } });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${usage}\n`);
    process.exit(2);
  }
  if (parsed.values.help) { process.stdout.write(`${usage}\n`); process.exit(0); }
  return Object.fromEntries(Object.keys(spec).map((k) => [k, String((parsed.values as Record<string, unknown>)[k])])) as { [K in keyof S]: string };
}
