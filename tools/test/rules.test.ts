// tools/rules.ts: a fixture's `rules` from the registry's defaults, the op's choice and the case's
// own, each anchor checked against its page.
import type { Fixture } from '../../spec/types/fixture';
import { fixtureRules } from '../rules';

const tensor = { dtype: 'float64', shape: [1], data: [0] } as const;
/** A linear fixture's checked tensors, without data that matters. */
function linearFixture(withBias = true): Omit<Fixture, 'rules'> {
  const params = withBias ? { W: tensor, b: tensor } : { W: tensor };
  return {
    id: 'linear/example',
    op: 'linear',
    forward: { y: tensor },
    backward: { grad_output: { y: tensor }, grad_inputs: { x: tensor }, grad_params: params },
    update: { optimizer: { type: 'sgd', lr: 0.1, steps: 1 }, params },
  } as unknown as Omit<Fixture, 'rules'>;
}

describe('fixtureRules', () => {
  it("gives every checked tensor the registry's rule, as <op>#<anchor>", () => {
    expect(fixtureRules(linearFixture())).toEqual({
      'forward.y': 'linear#f1',
      'backward.grad_inputs.x': 'linear#b1',
      'backward.grad_params.W': 'linear#b2',
      'backward.grad_params.b': 'linear#b3',
      'update.params.W': 'linear#u1',
      'update.params.b': 'linear#u1',
    });
  });

  it("lets the op's choice, then the case's, override it; the op's may name tensors this case does not have", () => {
    const rules = fixtureRules(linearFixture(false), { 'forward.y': 'f2', 'update.params.b': 'u3' }, { 'forward.y': 'sgd#f1' });
    expect(rules['forward.y']).toBe('sgd#f1');
    expect(Object.keys(rules)).not.toContain('update.params.b');
  });

  it('refuses an anchor its page does not have, and a case override for a tensor the fixture does not check', () => {
    expect(() => fixtureRules(linearFixture(), { 'forward.y': 'f9' })).toThrow("linear/example: forward.y cites linear#f9, but spec/ops/linear.md has no rule 'f9'");
    expect(() => fixtureRules(linearFixture(), {}, { 'forward.z': 'f1' })).toThrow(/the case's rules name forward\.z, which the fixture does not check/);
  });
});
