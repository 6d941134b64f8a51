// spec/types/validators.js: ajv's standalone code for the fixture and protocol schemas and each of their
// definitions, compiled here once so the runner never compiles a schema at run time (ajv compilation was
// the largest start-up cost of every process that loads a fixture). Same options as a run-time compile
// would use, so the errors, and the messages built from them, are the same.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { validatorName } from '../spec/validator-name';

const SPEC = join(__dirname, '..', 'spec');
/** The schemas the runner validates against; common.schema.json and the op names are reached by $ref. */
const VALIDATED = ['fixture', 'protocol'];

const BANNER = '/* Generated from spec/*.schema.json by `npm run types` (ajv standalone code). Do not edit by hand. */';

const readSchema = (name: string) => JSON.parse(readFileSync(join(SPEC, `${name}.schema.json`), 'utf8')) as { definitions?: Record<string, unknown> };

/** The module and its declarations; `opNameSchema` is the freshly generated spec/op-name.schema.json. */
export function standaloneValidators(opNameSchema: string): { js: string; dts: string } {
  const ajv = new Ajv({ strict: true, allErrors: true, verbose: true, code: { source: true, lines: true } });
  ajv.addSchema([JSON.parse(opNameSchema) as object, readSchema('common'), ...VALIDATED.map(readSchema)]);
  const refs: Record<string, string> = {};
  for (const schema of VALIDATED) {
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
