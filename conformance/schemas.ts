// One ajv instance (strict) holding every schema of spec/: the fixture and protocol schemas $ref the
// shared definitions in common.schema.json, whose OpName $refs the registry's op-name.schema.json.
import Ajv, { type ValidateFunction } from 'ajv';
import commonSchema from '../spec/common.schema.json';
import opNameSchema from '../spec/op-name.schema.json';
import fixtureSchema from '../spec/fixture.schema.json';
import protocolSchema from '../spec/protocol.schema.json';

let ajv: Ajv | undefined;

function instance(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ strict: true, allErrors: true, verbose: true });
    ajv.addSchema([opNameSchema, commonSchema, fixtureSchema, protocolSchema]);
  }
  return ajv;
}

export type SchemaName = 'fixture' | 'protocol' | 'common';

/** The validator for a schema, or for one of its definitions (`protocol`, `HelloReply`). Compiled once. */
export function schemaValidator<T>(schema: SchemaName, definition?: string): ValidateFunction<T> {
  const ref = `gradspec/${schema}.schema.json${definition ? `#/definitions/${definition}` : ''}`;
  const v = instance().getSchema<T>(ref);
  if (!v) throw new Error(`spec/${schema}.schema.json has no ${definition ? `definition ${definition}` : 'schema'}`);
  return v;
}
