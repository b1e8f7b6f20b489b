// The systemd unit: verifies, keeps exit 78 (bad configuration) from restarting, and its hardening scores an
// exposure of at most 2.0 in `systemd-analyze security` (offline, on the file).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers.js';

const unit = path.join(repoRoot, 'config', 'christmas.service');
const analyze = (args: string[]) => {
  const r = spawnSync('systemd-analyze', args, { encoding: 'utf8' });
  if (r.error)
    throw new Error(`this test needs systemd-analyze (Debian's systemd package): ${r.error.message}`, {
      cause: r.error,
    });
  return r;
};

test('systemd-analyze verify finds nothing wrong with the unit', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-unit-'));
  const f = path.join(dir, 'christmas.service');
  copyFileSync(unit, f);
  const r = analyze(['verify', f]);
  assert.is(r.status, 0, r.stderr);
  assert.not.match(r.stderr, /Unknown (key|section)|Failed to parse|Invalid/, r.stderr);
});

test('exposure at most 2.0; bad configuration (exit 78) is never restarted; the watchdog is on', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-unit-'));
  const f = path.join(dir, 'christmas.service');
  copyFileSync(unit, f);
  const r = analyze(['security', '--offline=true', f]);
  const m = /Overall exposure level for christmas\.service: ([0-9.]+)/.exec(r.stdout);
  assert.ok(m, r.stdout.slice(-500) + r.stderr);
  assert.ok(Number(m![1]) <= 2.0, `exposure ${m![1]}`);
  const text = readFileSync(unit, 'utf8');
  assert.match(text, /^RestartPreventExitStatus=78$/m);
  assert.match(text, /^Type=notify$/m);
  assert.match(text, /^WatchdogSec=\d+/m);
  assert.match(text, /^NotifyAccess=main$/m);
});

test.run();
