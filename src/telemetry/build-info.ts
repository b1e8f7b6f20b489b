// The running build: the package version (package.json beside dist/), Node's version and the kernels in use.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernels } from '../native/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function buildInfo(): { version: string; node: string; kernels: string } {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return { version: pkg.version, node: process.versions.node, kernels: kernels().kind };
}
