// Where logs go: `run` under systemd (JOURNAL_STREAM set) writes JSON lines to stdout, each prefixed with its
// journald priority; everything else goes to stderr as plain JSON (not a terminal here), stdout left to data.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../helpers.js';

const loggerModule = path.join(repoRoot, 'dist', 'src', 'telemetry', 'logger.js');
const script = (target: string) => `
  import { createLogger } from ${JSON.stringify(loggerModule)};
  const log = createLogger({ level: 'debug', target: ${JSON.stringify(target)} });
  log.fatal('f'); log.error('e'); log.warn('w'); log.info('i'); log.debug('d');
  log.flush();
`;
const run = (target: string, env: Record<string, string>) =>
  spawnSync(process.execPath, ['--input-type=module', '-e', script(target)], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });

test('under systemd: stdout, one journald priority prefix per line (crit, err, warning, info, debug)', () => {
  const r = run('journal-or-stderr', { JOURNAL_STREAM: '8:12345' });
  assert.is(r.stderr, '');
  const lines = r.stdout.trim().split('\n');
  assert.equal(
    lines.map((l) => l.slice(0, 3)),
    ['<2>', '<3>', '<4>', '<6>', '<7>'],
  );
  for (const l of lines) JSON.parse(l.slice(3));
});

test('outside systemd, and for every other command: stderr, plain JSON lines, stdout untouched', () => {
  const env = { JOURNAL_STREAM: '' };
  for (const target of ['journal-or-stderr', 'stderr']) {
    const r = run(target, env);
    assert.is(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.is(lines.length, 5);
    assert.is((JSON.parse(lines[3]!) as { msg: string }).msg, 'i');
  }
});

test.run();
