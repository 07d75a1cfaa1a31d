/** Walking and building @bufbuild/cel's parsed expressions. */
import { clone, create } from '@bufbuild/protobuf';
import { ExprSchema, type Expr, type ParsedExpr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';

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

/** Builds new nodes with fresh ids placed at a source offset. */
export class NodeFactory {
  private nextId: bigint;
  constructor(private readonly parsed: ParsedExpr) {
    let max = 0n;
    for (const k of Object.keys(parsed.sourceInfo?.positions ?? {})) if (BigInt(k) > max) max = BigInt(k);
    this.nextId = max + 1n;
  }
  offsetOf(e: Expr): number {
    return Number(this.parsed.sourceInfo?.positions[String(e.id)] ?? 0);
  }
  node(offset: number, exprKind: Expr['exprKind']): Expr {
    const id = this.nextId++;
    if (this.parsed.sourceInfo) this.parsed.sourceInfo.positions[String(id)] = offset;
    return create(ExprSchema, { id, exprKind } as never);
  }
  string(offset: number, value: string): Expr {
    return this.node(offset, { case: 'constExpr', value: { constantKind: { case: 'stringValue', value } } } as never);
  }
  int(offset: number, value: number): Expr {
    return this.node(offset, { case: 'constExpr', value: { constantKind: { case: 'int64Value', value: BigInt(value) } } } as never);
  }
  call(offset: number, fn: string, args: Expr[], target?: Expr): Expr {
    return this.node(offset, { case: 'callExpr', value: { function: fn, args, target } } as never);
  }
  ident(offset: number, name: string): Expr {
    return this.node(offset, { case: 'identExpr', value: { name } } as never);
  }
  list(offset: number, elements: Expr[]): Expr {
    return this.node(offset, { case: 'listExpr', value: { elements } } as never);
  }
  /** cel-go's bind: evaluates `init` once as `name` for `result` (a comprehension over an empty list). */
  bind(offset: number, name: string, init: Expr, result: Expr): Expr {
    return this.node(offset, {
      case: 'comprehensionExpr',
      value: {
        iterVar: '#unused',
        iterRange: this.list(offset, []),
        accuVar: name,
        accuInit: init,
        loopCondition: this.node(offset, { case: 'constExpr', value: { constantKind: { case: 'boolValue', value: false } } } as never),
        loopStep: this.ident(offset, name),
        result,
      },
    } as never);
  }
  /** A deep copy with fresh ids at the same offsets (a macro that uses its target twice). */
  copy(e: Expr): Expr {
    const out = clone(ExprSchema, e);
    const renumber = (x: Expr | undefined) => {
      if (!x) return;
      const at = this.offsetOf(x);
      x.id = this.nextId++;
      if (this.parsed.sourceInfo) this.parsed.sourceInfo.positions[String(x.id)] = at;
      forEachChild(x, renumber);
    };
    renumber(out);
    return out;
  }
}
