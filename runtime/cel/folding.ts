/**
 * What cel-go's OptOptimize folds when it plans an expression (interpreter/decorators.go decOptimize; Kubernetes
 * plans every expression with it, apiserver v0.32.0 pkg/cel/environment/base.go), which then costs nothing at run
 * time: a type conversion of a constant (`duration('1h')`, `int('5')`), and `x in` a constant list of scalars (a set
 * lookup). List and map literals of constants are constants too (free here already: literals are not charged).
 * Such calls are renamed with `foldedPrefix` after checking, and the metered resolver charges them nothing.
 */
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { forEachChild } from './ast.ts';

export const foldedPrefix = '@kube_folded:';

/** cel-go's overloads.IsTypeConversionFunction. */
const conversions = new Set(['bool', 'bytes', 'double', 'duration', 'dyn', 'int', 'string', 'timestamp', 'type', 'uint']);

/** Whether cel-go's planner makes the node a constant: a literal, a list or map of constants, a folded conversion. */
function isConstant(e: Expr | undefined): boolean {
  if (!e) return false;
  const k = e.exprKind;
  switch (k.case) {
    case 'constExpr':
      return true;
    case 'listExpr':
      return k.value.optionalIndices.length === 0 && k.value.elements.every(isConstant);
    case 'structExpr':
      return k.value.messageName === '' && k.value.entries.every((en) => !en.optionalEntry && en.keyKind.case === 'mapKey' && isConstant(en.keyKind.value) && isConstant(en.value));
    case 'callExpr':
      return k.value.function.startsWith(foldedPrefix) && conversions.has(k.value.function.slice(foldedPrefix.length));
    default:
      return false;
  }
}

/** A scalar constant cel-go's set membership takes: bool, double, int, string, uint (not bytes, not null). */
function isPrimitiveConstant(e: Expr): boolean {
  const c = e.exprKind.case === 'constExpr' ? e.exprKind.value.constantKind.case : undefined;
  return c === 'boolValue' || c === 'doubleValue' || c === 'int64Value' || c === 'stringValue' || c === 'uint64Value';
}

/** Renames, bottom-up, the calls cel-go folds into constants or a set lookup. */
export function markFolded(e: Expr | undefined): void {
  if (!e) return;
  forEachChild(e, markFolded);
  if (e.exprKind.case !== 'callExpr') return;
  const call = e.exprKind.value;
  if (!call.target && call.args.length === 1 && conversions.has(call.function) && isConstant(call.args[0])) {
    call.function = foldedPrefix + call.function;
  } else if (call.function === '@in' && call.args.length === 2) {
    const list = call.args[1];
    if (list.exprKind.case === 'listExpr' && isConstant(list) && list.exprKind.value.elements.every(isPrimitiveConstant)) call.function = foldedPrefix + call.function;
  }
}
