// Generates spec/types/*.ts from the JSON schemas with json-schema-to-typescript.
// `--check` compares instead of writing and exits 1 when the committed types drifted.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

const ROOT = join(__dirname, '..');
const SCHEMAS = ['fixture', 'protocol'];

const BANNER = '/* Generated from spec/%s.schema.json by `npm run types`. Do not edit by hand. */';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  let drifted = 0;
  for (const name of SCHEMAS) {
    const schemaPath = join(ROOT, 'spec', `${name}.schema.json`);
    if (!existsSync(schemaPath)) continue;
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as JSONSchema;
    const ts = await compile(schema, schema.title ?? name, {
      bannerComment: BANNER.replace('%s', name),
      additionalProperties: false,
      unreachableDefinitions: true,
      style: { singleQuote: true, printWidth: 110 },
    });
    const outPath = join(ROOT, 'spec', 'types', `${name}.ts`);
    const current = existsSync(outPath) ? readFileSync(outPath, 'utf8') : '';
    if (values.check) {
      if (current !== ts) {
        drifted++;
        console.error(`spec/types/${name}.ts is out of date with spec/${name}.schema.json: run \`npm run types\``);
      }
    } else if (current !== ts) {
      writeFileSync(outPath, ts);
      console.log(`wrote spec/types/${name}.ts`);
    }
  }
  if (values.check) {
    if (drifted) process.exit(1);
    console.log('types: spec/types/ matches the schemas');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
