// The export name of a precompiled validator in spec/types/validators.js: the schema's name, or
// `<schema>_<Definition>` for one of its definitions (`protocol_HelloReply`). The generator
// (tools/standalone-validators.ts) writes these names and the runner (conformance/schemas.ts) reads them.
export function validatorName(schema: string, definition?: string): string {
  return definition ? `${schema}_${definition}` : schema;
}
