/** Walking @bufbuild/cel's parsed expressions. */
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';

/** Calls `f` on each direct sub-expression. */
export function forEachChild(e: Expr, f: (child: Expr | undefined) => void): void {
  const k = e.exprKind;
  switch (k.case) {
    case 'selectExpr':
      f(k.value.operand);
      break;
    case 'callExpr':
      f(k.value.target);
      k.value.args.forEach(f);
      break;
    case 'listExpr':
      k.value.elements.forEach(f);
      break;
    case 'structExpr':
      for (const en of k.value.entries) {
        if (en.keyKind.case === 'mapKey') f(en.keyKind.value);
        f(en.value);
      }
      break;
    case 'comprehensionExpr':
      f(k.value.iterRange);
      f(k.value.accuInit);
      f(k.value.loopCondition);
      f(k.value.loopStep);
      f(k.value.result);
      break;
  }
}
