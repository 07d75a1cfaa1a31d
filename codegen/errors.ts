/** Generator errors name the file and line of the declaration at fault, never a stack trace. */
import type { Loc } from './model.ts';

export class CodegenError extends Error {
  constructor(
    readonly loc: Loc,
    message: string,
  ) {
    super(`${loc.file}:${loc.line}: ${message}`);
    this.name = 'CodegenError';
  }
}

/** Collects errors so one run reports all of them, like a compiler. */
export class Diagnostics {
  readonly errors: CodegenError[] = [];
  error(loc: Loc, message: string): void {
    this.errors.push(new CodegenError(loc, message));
  }
  get failed(): boolean {
    return this.errors.length > 0;
  }
}
