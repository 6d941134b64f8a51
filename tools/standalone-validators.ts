// spec/types/validators.js: ajv's standalone code for the given schemas and each of their definitions,
// compiled here once so the runner never compiles a schema at run time (ajv compilation was the largest
// start-up cost of every process that loads a fixture). The options are those the runner compiled with
// (strict, allErrors, verbose), so the errors, and the messages the runner builds from them, are unchanged.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { validatorName } from '../spec/validator-name';

const SPEC = join(__dirname, '..', 'spec');

const BANNER = '/* Generated from spec/*.schema.json by `npm run types` (ajv standalone code). Do not edit by hand. */';

const readSchema = (name: string) => JSON.parse(readFileSync(join(SPEC, `${name}.schema.json`), 'utf8')) as { definitions?: Record<string, unknown> };

/**
 * The module and its declarations for `schemas` (`fixture`, `protocol`); common.schema.json and
 * `opNameSchema`, the freshly generated spec/op-name.schema.json, are reached by $ref.
 */
export function standaloneValidators(schemas: readonly string[], opNameSchema: string): { js: string; dts: string } {
  const ajv = new Ajv({ strict: true, allErrors: true, verbose: true, code: { source: true, lines: true } });
  ajv.addSchema([JSON.parse(opNameSchema) as object, readSchema('common'), ...schemas.map(readSchema)]);
  const refs: Record<string, string> = {};
  for (const schema of schemas) {
    const id = `gradspec/${schema}.schema.json`;
    refs[validatorName(schema)] = id;
    for (const definition of Object.keys(readSchema(schema).definitions ?? {})) refs[validatorName(schema, definition)] = `${id}#/definitions/${definition}`;
  }
  const js = `${BANNER}\n${standaloneCode(ajv, refs)}\n`;
  const dts = [
    BANNER,
    "import type { ErrorObject } from 'ajv';",
    '',
    '/** A validator compiled ahead of time: true when the data matches; the last call\'s errors on `errors`. */',
    'export interface PrecompiledValidator {',
    '  (data: unknown): boolean;',
    '  errors?: ErrorObject[] | null;',
    '}',
    '',
    ...Object.keys(refs).map((name) => `export declare const ${name}: PrecompiledValidator;`),
    '',
  ].join('\n');
  return { js, dts };
}
