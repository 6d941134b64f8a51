// The validators of spec/'s schemas, precompiled by `npm run types` (ajv standalone code in
// spec/types/validators.js): no schema is compiled at run time. The fixture and protocol schemas $ref
// the shared definitions in common.schema.json, whose OpName $refs the registry's op-name.schema.json;
// the report schema (what gradspec dashboard reads of a JSON report) stands alone.
import * as precompiled from '../spec/types/validators';
import type { PrecompiledValidator } from '../spec/types/validators';
import { validatorName } from '../spec/validator-name';

export type SchemaName = 'fixture' | 'protocol' | 'report';

/** A validator whose `true` narrows the data to T; the last call's ajv errors are on `errors`. */
export interface SchemaValidator<T> extends PrecompiledValidator {
  (data: unknown): data is T;
}

/** The validator for a schema, or for one of its definitions (`protocol`, `HelloReply`). */
export function schemaValidator<T>(schema: SchemaName, definition?: string): SchemaValidator<T> {
  const name = validatorName(schema, definition);
  const v = Object.prototype.hasOwnProperty.call(precompiled, name) ? (precompiled as Record<string, PrecompiledValidator>)[name] : undefined;
  if (!v) throw new Error(`spec/${schema}.schema.json has no ${definition ? `definition ${definition}` : 'schema'}`);
  return v as SchemaValidator<T>;
}
