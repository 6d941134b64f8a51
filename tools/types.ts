// Generates what derives from the spec's source files: spec/op-name.schema.json from the op registry
// (spec/ops.json), then spec/types/*.ts from the JSON schemas with json-schema-to-typescript, and
// spec/types/validators.js (+ .d.ts), the schemas' validators precompiled by ajv.
// `--check` compares instead of writing and exits 1 when a committed file drifted.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { standaloneValidators } from './standalone-validators';

const SPEC = join(__dirname, '..', 'spec');
const SCHEMAS = ['fixture', 'protocol'];
/** Schemas with a precompiled validator but no generated types: the report's type is conformance/reporters/json.ts's own. */
const VALIDATED_ONLY = ['report'];

const BANNER = '/* Generated from spec/%s.schema.json by `npm run types`. Do not edit by hand. */';

/** spec/op-name.schema.json: the registry's op names, in registry order. */
function opNameSchema(): string {
  const registry = JSON.parse(readFileSync(join(SPEC, 'ops.json'), 'utf8')) as { ops: Record<string, unknown> };
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'gradspec/op-name.schema.json',
    title: 'OpName',
    description: 'Generated from spec/ops.json by `npm run types`. Do not edit by hand.',
    enum: Object.keys(registry.ops),
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

const readJson = (file: string): JSONSchema => JSON.parse(readFileSync(join(SPEC, file), 'utf8')) as JSONSchema;

/**
 * The schema with the shared definitions (common.schema.json, the op names) copied in and its $refs
 * made local, so the generated types keep their names (OpName, Tensor, …) instead of being inlined.
 */
function withSharedDefinitions(schema: JSONSchema, opNames: JSONSchema): JSONSchema {
  const common = readJson('common.schema.json');
  const definitions = { ...(common.definitions ?? {}), OpName: { description: common.definitions?.OpName?.description, enum: opNames.enum }, ...(schema.definitions ?? {}) };
  const local = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(local);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^common\.schema\.json#/, '#') : local(v);
    return out;
  };
  return local({ ...schema, definitions }) as JSONSchema;
}

async function typesFor(name: string, opNames: JSONSchema): Promise<string> {
  const schema = withSharedDefinitions(readJson(`${name}.schema.json`), opNames);
  return compile(schema, schema.title ?? name, {
    bannerComment: BANNER.replace('%s', name),
    additionalProperties: false,
    unreachableDefinitions: true,
    style: { singleQuote: true, printWidth: 110 },
  });
}

/** Writes (or, with check, compares) one generated file; returns true when it drifted. */
function sync(path: string, text: string, check: boolean, rerun: string): boolean {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  if (current === text) return false;
  const shown = path.slice(SPEC.length - 'spec'.length);
  if (check) console.error(`${shown} is out of date: run \`${rerun}\``);
  else {
    writeFileSync(path, text);
    console.log(`wrote ${shown}`);
  }
  return true;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const check = values.check;
  const opNames = opNameSchema();
  let drifted = sync(join(SPEC, 'op-name.schema.json'), opNames, check, 'npm run types');
  for (const name of SCHEMAS) {
    drifted = sync(join(SPEC, 'types', `${name}.ts`), await typesFor(name, JSON.parse(opNames) as JSONSchema), check, 'npm run types') || drifted;
  }
  const validators = standaloneValidators([...SCHEMAS, ...VALIDATED_ONLY], opNames);
  drifted = sync(join(SPEC, 'types', 'validators.js'), validators.js, check, 'npm run types') || drifted;
  drifted = sync(join(SPEC, 'types', 'validators.d.ts'), validators.dts, check, 'npm run types') || drifted;
  if (check) {
    if (drifted) process.exit(1);
    console.log('types: spec/op-name.schema.json and spec/types/ (types, validators) match spec/ops.json and the schemas');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
