// Error classes as the suite and the logs see them: a ChristmasError thrown inside a test shows its message
// (a missing server is a failure with a clear message), and every class has a stable code and retryability.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers.js';
import * as errors from '../../src/model/errors.js';

test('a ChristmasError failing a test is reported with its message by the test runner', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'christmas-uvu-'));
  const file = path.join(dir, 'dep.test.mjs');
  const uvu = pathToFileURL(path.join(repoRoot, 'node_modules', 'uvu', 'dist', 'index.mjs')).href;
  const errs = pathToFileURL(path.join(repoRoot, 'dist', 'src', 'model', 'errors.js')).href;
  writeFileSync(
    file,
    `import { test } from '${uvu}';\nimport { DependencyError } from '${errs}';\n` +
      `test('needs redis', () => { throw new DependencyError('redis-server not found on PATH: apt-get install -y redis-server'); });\ntest.run();\n`,
  );
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  rmSync(dir, { recursive: true, force: true });
  assert.match(r.stdout + r.stderr, /redis-server not found on PATH: apt-get install -y redis-server/);
  assert.match(r.stdout + r.stderr, /FAIL/);
});

test('every error class has a stable E_ code and says whether a retry can succeed', () => {
  const made = [
    new errors.ConfigError('a.b', 1, 'a string'),
    new errors.FrameError('bad-json', 'x'),
    new errors.SnapshotError('HTTP 500', 500, 0),
    new errors.DependencyError('x'),
    new errors.UnavailableError('x'),
  ];
  for (const e of made) {
    assert.match(e.code, /^E_[A-Z_]+$/);
    assert.type(e.retryable, 'boolean');
    assert.not.ok('details' in e, 'no `details` field (test runners read it as an assertion diff)');
  }
  assert.is(new errors.SnapshotError('x', 429, 1000).retryable, true);
});

test.run();
