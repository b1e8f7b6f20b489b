// Builds native/ with node-gyp against the headers of the Node that runs this script, offline:
// the header directory is derived from process.execPath, never downloaded. `--optional` (npm's install
// step) warns instead of failing, so a host without a compiler still installs and runs the TypeScript
// fallback; `make build` calls it without the flag and fails loudly. `--tulind` builds the benchmark's
// optional tulind dependency the same way when npm skipped its install script (node-pre-gyp fetch-or-build).
// The christmas module is rebuilt only when a source, binding.gyp, the Node ABI or the -march choice changed
// since the last build (build/christmas-native.stamp), so `make test` and `make demo` compile it once.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const candidates = [path.resolve(path.dirname(process.execPath), '..'), '/usr', '/usr/local'];
const nodedir = candidates.find(
  (d) =>
    existsSync(path.join(d, 'include', 'node', 'node_api.h')) &&
    existsSync(path.join(d, 'include', 'node', 'common.gypi')),
);
const optional = process.argv.includes('--optional');
const fail = (msg) => {
  console.error(`build-native: ${msg}`);
  if (optional) {
    console.error('build-native: continuing without the native module (the TypeScript fallback is used)');
    process.exit(0);
  }
  process.exit(1);
};
if (!nodedir)
  fail(
    `no Node headers (include/node/node_api.h) under ${candidates.join(', ')}; install the nodejs headers or use CHRISTMAS_NO_NATIVE=1`,
  );
const gyp = require.resolve('node-gyp/bin/node-gyp.js');
const args = [gyp, 'rebuild', `--nodedir=${nodedir}`, '--jobs=2'];
let cwd = process.cwd();
let stampAfterBuild = () => {};
if (process.argv.includes('--tulind')) {
  cwd = path.resolve('node_modules', 'tulind');
  if (!existsSync(cwd)) fail('node_modules/tulind is not installed (optional dependency)');
  try {
    require(cwd);
    console.error('build-native: tulind already loads');
    process.exit(0);
  } catch {
    /* build it below */
  }
  const modulePath = path.join(
    cwd,
    'lib',
    'binding',
    'Release',
    `node-v${process.versions.modules}-${process.platform}-${process.arch}`,
  );
  args.push(`--module_name=tulind`, `--module_path=${modulePath}`);
} else {
  if (process.env.CHRISTMAS_MARCH_NATIVE === '1') args.push('--', '-Dmarch_native=1');
  const built = path.join('build', 'Release', 'christmas_native.node');
  const stampFile = path.join('build', 'christmas-native.stamp');
  const stamp = `abi ${process.versions.modules} march_native ${process.env.CHRISTMAS_MARCH_NATIVE === '1' ? 1 : 0}`;
  const sources = ['binding.gyp', ...readdirSync('native').map((f) => path.join('native', f))];
  const upToDate =
    existsSync(built) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8') === stamp &&
    sources.every((f) => statSync(f).mtimeMs <= statSync(built).mtimeMs);
  if (upToDate) {
    console.error('build-native: build/Release/christmas_native.node is up to date');
    process.exit(0);
  }
  stampAfterBuild = () => writeFileSync(stampFile, stamp);
}
const res = spawnSync(process.execPath, args, {
  stdio: 'inherit',
  cwd,
  env: { ...process.env, npm_config_nodedir: nodedir },
});
if (res.status !== 0) fail(`node-gyp exited with ${res.status}`);
stampAfterBuild();
process.exit(0);
