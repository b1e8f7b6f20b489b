// Runs every uvu suite (dist/test/**/*.test.js) and ends with the line "N passed, N failed".
// Each suite file runs in its own process (servers and timers never leak between files); exit 1 on any failure.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ? new RegExp(process.argv[2]) : undefined;

function collect(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.js') && (!filter || filter.test(p))) out.push(p);
  }
  return out;
}

interface Result {
  file: string;
  total: number;
  passed: number;
  skipped: number;
  code: number | null;
  ms: number;
}

function runFile(file: string): Promise<Result> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    let out = '';
    let lingering: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
      // A suite that reported its totals but does not exit (a leaked handle) is killed after 10 s and counted as a failure.
      if (!lingering && /Duration:/.test(out))
        lingering = setTimeout(() => {
          process.stdout.write(`[run] ${file}: did not exit 10 s after its summary (leaked handle); killing\n`);
          out += '\nLINGERED';
          child.kill('SIGKILL');
        }, 10_000);
    });
    child.stderr.on('data', (d: Buffer) => {
      process.stderr.write(d);
    });
    const timer = setTimeout(() => {
      process.stdout.write(`\n[run] ${file}: timed out after 600 s, killing\n`);
      child.kill('SIGKILL');
    }, 600_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      clearTimeout(lingering);
      if (out.includes('\nLINGERED')) code = 1;
      const num = (label: string) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(out)?.[1] ?? 0);
      resolve({
        file,
        total: num('Total'),
        passed: num('Passed'),
        skipped: num('Skipped'),
        code,
        ms: Date.now() - started,
      });
    });
  });
}

const files = collect(here);
let passed = 0,
  failed = 0,
  skipped = 0;
const started = Date.now();
for (const f of files) {
  process.stdout.write(`\n[run] ${path.relative(here, f)}\n`);
  const r = await runFile(f);
  passed += r.passed;
  skipped += r.skipped;
  let fileFailed = r.total - r.passed - r.skipped;
  // A suite that crashed or exited non-zero without reporting a failure counts as one failure.
  if (r.code !== 0 && fileFailed === 0) fileFailed = 1;
  if (r.total === 0 && r.code === 0) {
    process.stdout.write(`[run] ${f}: ran no test\n`);
    fileFailed += 1;
  }
  failed += fileFailed;
  process.stdout.write(
    `[run] ${path.relative(here, f)}: ${r.passed}/${r.total} passed in ${(r.ms / 1000).toFixed(1)} s\n`,
  );
}
process.stdout.write(`\n${files.length} suite files in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);
