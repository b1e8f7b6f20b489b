// Writes the config validator as standalone code (dist/src/config/config-validator.cjs), compiled by Ajv from
// the built schema at build time, so a command's start-up neither loads Ajv nor compiles the schema. `make ts`
// runs it after tsc; a test checks the file is what this script writes for the current schema.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configValidatorSource } from '../dist/src/config/validator-source.js';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/src/config/config-validator.cjs');
writeFileSync(out, configValidatorSource());
