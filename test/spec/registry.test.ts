// The op registry (spec/ops.json) is the one list of ops: it is well formed, and every op it names
// has exactly one page, one case file and one fixture folder — nothing else has one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import registrySchema from '../../spec/ops.schema.json';
import registry from '../../spec/ops.json';
import opNameSchema from '../../spec/op-name.schema.json';
import { OP_NAMES, OPS, isOpName, opEntry, paramNames } from '../../spec/registry';

const ROOT = join(__dirname, '..', '..');
const names = (dir: string, ext: string) =>
  readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(ext) && f !== `index${ext}`).map((f) => f.slice(0, -ext.length)).sort();

describe('spec/ops.json', () => {
  it('validates against spec/ops.schema.json (ajv strict)', () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(registrySchema);
    expect(validate(registry) ? [] : validate.errors).toEqual([]);
  });

  it('is what spec/op-name.schema.json was generated from', () => {
    expect(opNameSchema.enum).toEqual(OP_NAMES);
  });

  it('names each op once, with one page, one case file and one fixture folder', () => {
    const ops = [...OP_NAMES].sort();
    expect(names('spec/ops', '.md')).toEqual(ops);
    expect(names('tools/cases', '.ts')).toEqual(ops);
    expect(readdirSync(join(ROOT, 'fixtures')).sort()).toEqual(ops);
  });

  it('keeps each entry consistent: gradients of inputs it has, seeds of outputs it has, no name twice', () => {
    for (const op of OP_NAMES) {
      const e = OPS[op];
      const problems: string[] = [];
      for (const d of e.differentiable) if (!e.inputs.includes(d)) problems.push(`differentiable '${d}' is not an input`);
      for (const s of e.seeded ?? []) if (!e.outputs.includes(s)) problems.push(`seeded '${s}' is not an output`);
      for (const o of e.optional ?? []) if (!e.inputs.includes(o)) problems.push(`optional '${o}' is not an input`);
      for (const [param, attribute] of Object.entries(e.params_if ?? {})) {
        if (!e.params.includes(param)) problems.push(`params_if '${param}' is not a param`);
        const a = e.attributes[attribute];
        if (a?.type !== 'boolean' || typeof a.default !== 'boolean') problems.push(`params_if '${param}' names '${attribute}', which is not a boolean attribute with a boolean default`);
      }
      const all = [...e.inputs, ...e.params, ...e.outputs];
      if (new Set(all).size !== all.length) problems.push(`a tensor name repeats: ${all.join(', ')}`);
      if (!existsSync(join(ROOT, 'spec', 'ops', `${op}.md`))) problems.push('no spec page');
      expect({ op, problems }).toEqual({ op, problems: [] });
    }
  });
});

describe('spec/registry.ts', () => {
  it('tells op names from everything else, prototype keys included', () => {
    expect(isOpName('relu')).toBe(true);
    for (const name of ['Relu', '__proto__', 'constructor', 'toString', '', 3]) expect(isOpName(name)).toBe(false);
    expect(() => opEntry('Relu')).toThrow(`unknown op 'Relu': spec/ops.json lists ${OP_NAMES.join(', ')}`);
  });

  it('drops a params_if param when its attribute is false, expands {layer} params over the layers of sizes, and names a bad sizes', () => {
    expect(paramNames('linear', {})).toEqual(['W', 'b']);
    expect(paramNames('linear', { bias: true })).toEqual(['W', 'b']);
    expect(paramNames('linear', { bias: false })).toEqual(['W']);
    expect(() => paramNames('linear', { bias: 'no' })).toThrow('linear: attribute bias must be true or false, got "no"');
    expect(paramNames('mlp', { sizes: [4, 3, 2] })).toEqual(['W0', 'b0', 'W1', 'b1']);
    expect(() => paramNames('mlp', { sizes: [4] })).toThrow('mlp: attribute sizes [4] must list at least two widths');
  });

  it('leaves out an optional param when its attribute is false, given or by default', () => {
    expect(paramNames('conv2d', {})).toEqual(['W', 'b']); // bias defaults to true
    expect(paramNames('conv2d', { bias: true })).toEqual(['W', 'b']);
    expect(paramNames('conv2d', { bias: false })).toEqual(['W']);
  });

  it('is read from the file, not a copy', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'spec', 'ops.json'), 'utf8')).ops).toEqual(OPS);
  });
});
