// A Stryker ignorer (stryker.config.mjs): no mutants in src's argument checks. What a bad argument does
// (which error, which message) is tested by src's own tests; the corpus only feeds valid cases, so a
// mutant there can never change a fixture's outputs and would only pad the score's denominator.
// Ignored: throw statements, `new …Error(…)`, an `if` that only throws, calls to expect*/check* (src/checks.ts and the
// helpers built on it), loops and blocks made only of these, and the expect*/check* functions themselves.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const CHECK_NAME = /^(expect|check)[A-Z]/;

const REASON = 'argument check: the corpus has no bad input (src tests cover it)';

/** True for a statement whose only effect is to throw on bad input. */
function isCheck(node) {
  if (!node) return false;
  switch (node.type) {
    case 'ThrowStatement':
      return true;
    case 'IfStatement':
      return isCheck(node.consequent) && (node.alternate === null || isCheck(node.alternate));
    case 'BlockStatement':
      return node.body.length > 0 && node.body.every(isCheck);
    case 'ForStatement':
    case 'ForOfStatement':
      return isCheck(node.body);
    case 'ExpressionStatement':
      return node.expression.type === 'CallExpression' && node.expression.callee.type === 'Identifier' && CHECK_NAME.test(node.expression.callee.name);
    default:
      return false;
  }
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'argument-checks', {
    shouldIgnore(path) {
      const { node } = path;
      if (isCheck(node)) return REASON;
      // An error built to be thrown elsewhere (e.g. `throw backwardBeforeForward(op)`): its message.
      if (node.type === 'NewExpression' && node.callee.type === 'Identifier' && node.callee.name.endsWith('Error')) return REASON;
      if (node.type === 'FunctionDeclaration' && node.id && CHECK_NAME.test(node.id.name)) return REASON;
      return undefined;
    },
  }),
];
