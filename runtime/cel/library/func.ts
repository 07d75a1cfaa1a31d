/**
 * Declaring library functions: a small overload helper over @bufbuild/cel's function protocol, with argument kinds
 * named by string so the same declaration serves run-time dispatch and our compile-time checks.
 */
import { celError, celList, isCelList, isCelMap, isCelUint, type CelFunc, type CelResult, type CelValue } from '@bufbuild/cel';
import { OpaqueValue } from './opaque.ts';

/** CEL type names as the checker and error messages spell them. Opaque kinds carry their CEL type name. */
export type Kind = string;

/** The kind of a run-time value. */
export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'bigint':
      return 'int';
    case 'number':
      return 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
  }
  if (v === null) return 'null_type';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof OpaqueValue) return v.typeName;
  if (isCelUint(v)) return 'uint';
  if (isCelList(v)) return 'list';
  if (isCelMap(v)) return 'map';
  return 'dyn';
}

/** Whether a value of kind `actual` may be passed where `declared` is expected. */
export function assignable(declared: Kind, actual: Kind): boolean {
  return declared === 'dyn' || actual === 'dyn' || declared === actual;
}

export interface OverloadSpec {
  /** The receiver's kind for a method (`x.f()`), absent for a global function. */
  target?: Kind;
  args: Kind[];
  result: Kind;
  /** Throws for a run-time error (its message becomes the CEL error). */
  impl: (target: any, ...args: any[]) => unknown;
}

const funcBrand = Symbol.for('@bufbuild/cel/func');

/** A CEL function or method overload implemented in TypeScript. */
export class KubeOverload {
  readonly [funcBrand] = {};
  constructor(
    readonly name: string,
    readonly spec: OverloadSpec,
  ) {}
  get id(): string {
    return `${this.spec.target ? this.spec.target + '.' : ''}${this.name}(${this.spec.args.join(',')})`;
  }
  // The library's CelFunc fields; types are only used by its own (unused) checker.
  get target(): undefined {
    return undefined;
  }
  get arguments(): [] {
    return [];
  }
  get result(): undefined {
    return undefined;
  }
  call(id: number, target: CelValue | undefined, args: CelValue[]): CelResult | undefined {
    const s = this.spec;
    if ((s.target === undefined) !== (target === undefined)) return undefined;
    if (s.target !== undefined && !assignable(s.target, kindOf(target))) return undefined;
    if (args.length !== s.args.length) return undefined;
    for (let i = 0; i < args.length; i++) if (!assignable(s.args[i], kindOf(args[i]))) return undefined;
    try {
      const out = s.impl(target, ...args);
      return (Array.isArray(out) ? celList(out) : out) as CelResult;
    } catch (e) {
      return celError(e instanceof Error ? e.message : String(e), id);
    }
  }
}

export function fn(name: string, spec: OverloadSpec): CelFunc {
  return new KubeOverload(name, spec) as unknown as CelFunc;
}

/** A method overload: `method('isSorted', 'list', [], 'bool', (l) => ...)`. */
export function method(name: string, target: Kind, args: Kind[], result: Kind, impl: OverloadSpec['impl']): CelFunc {
  return fn(name, { target, args, result, impl });
}

/** A global function overload. */
export function global(name: string, args: Kind[], result: Kind, impl: (...args: any[]) => unknown): CelFunc {
  return fn(name, { args, result, impl: (_t: unknown, ...a: unknown[]) => impl(...a) });
}
