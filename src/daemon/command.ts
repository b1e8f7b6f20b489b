// The shape of a CLI subcommand and the shared option parsing / help rendering.
import { statSync } from 'node:fs';
import { MissingInputError } from '../model/errors.js';
import { parseArgs } from 'node:util';
import { UsageError } from '../model/errors.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  value?: string;
  description: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  run(values: Record<string, string | boolean | string[] | undefined>, positionals: string[]): Promise<number>;
}

export const configOptions: Record<string, OptionSpec> = {
  config: {
    type: 'string',
    value: 'FILE',
    description: 'config file merged over config/default.json (same as CHRISTMAS_CONFIG)',
  },
  set: {
    type: 'string',
    multiple: true,
    value: 'KEY=JSON',
    description: 'override one config key, e.g. --set compute.mode=\'"pool"\' (repeatable)',
  },
};

export function renderHelp(c: Command): string {
  const lines = [`christmas ${c.name} — ${c.summary}`, '', `usage: christmas ${c.usage}`, '', 'options:'];
  const all: Record<string, OptionSpec> = {
    ...c.options,
    help: { type: 'boolean', short: 'h', description: 'show this help' },
  };
  for (const [name, o] of Object.entries(all)) {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    lines.push(`  ${flag.padEnd(34)} ${o.description}`);
  }
  return lines.join('\n') + '\n';
}

export function parseCommandArgs(
  c: Command,
  argv: string[],
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [k, o] of Object.entries(c.options))
    options[k] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  try {
    const r = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | string[] | undefined>, positionals: r.positionals };
  } catch (err) {
    const msg = (err as Error).message.replace(/\s*\n\s*/g, ' ');
    throw new UsageError(`${msg} (see christmas ${c.name} --help)`);
  }
}

/** `--set key=json` pairs -> overrides for loadConfig. */
export function parseSets(sets: string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of sets ?? []) {
    const i = s.indexOf('=');
    if (i <= 0) throw new UsageError(`--set ${s}: expected KEY=JSON`);
    const raw = s.slice(i + 1);
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      v = raw;
    }
    out[s.slice(0, i)] = v;
  }
  return out;
}

export function intOption(v: unknown, name: string, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${name}: got "${String(v)}", expected a number from ${min} to ${max}`);
  return n;
}

/** An input path a command reads: a readable file, or a one-line MissingInputError (exit 66) naming it. */
export function checkInputFile(command: string, file: string): void {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new MissingInputError(`${command}: no such file ${file}`);
  }
  if (!st.isFile())
    throw new MissingInputError(
      `${command}: ${file} is ${st.isDirectory() ? 'a directory' : 'not a regular file'}, expected a recording file`,
    );
}

/** A URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
