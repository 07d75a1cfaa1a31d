/**
 * Where a Go pattern matches, as Go's `FindString`/`FindAllString`: leftmost-first (the first alternative, the
 * greedy or lazy choice of each quantifier, as Perl would pick), run on the program @bufbuild/re2 compiles from Go's
 * syntax. That library only answers whether a text matches; the places come from this Pike VM over its program (the
 * shape of Go's regexp/exec.go): every thread steps through the text once, in priority order, so a search takes
 * time linear in the text whatever the pattern.
 */
import type { RE2JS } from '@bufbuild/re2';

type Program = ReturnType<RE2JS['re2']>['prog'];

// Instruction codes of @bufbuild/re2's Inst (Go's syntax.InstOp in another order).
const ALT = 1;
const ALT_MATCH = 2;
const CAPTURE = 3;
const EMPTY_WIDTH = 4;
const FAIL = 5;
const MATCH = 6;
const NOP = 7;

// Go's syntax.EmptyOp bits, as the program's empty-width instructions carry them.
const beginLine = 0x01;
const endLine = 0x02;
const beginText = 0x04;
const endText = 0x08;
const wordBoundary = 0x10;
const noWordBoundary = 0x20;

/** ASCII word characters: what `\b` sees in Go. */
const isWord = (r: number) => (r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5a) || r === 0x5f || (r >= 0x61 && r <= 0x7a);

/** The empty-width assertions that hold between runes `before` and `after` (-1: the text's edge). */
function context(before: number, after: number): number {
  let op = noWordBoundary;
  if (before < 0) op |= beginText | beginLine;
  else if (before === 0x0a) op |= beginLine;
  if (after < 0) op |= endText | endLine;
  else if (after === 0x0a) op |= endLine;
  if (isWord(before) !== isWord(after)) op ^= wordBoundary | noWordBoundary;
  return op;
}

/** Threads waiting on a rune (or at a match), in priority order, each with where its match began. */
class Queue {
  readonly pcs: number[] = [];
  readonly starts: number[] = [];
  /** The generation in which each instruction was last visited: a clear is one increment. */
  private readonly seen: Uint32Array;
  private generation = 1;
  constructor(size: number) {
    this.seen = new Uint32Array(size);
  }
  clear(): void {
    this.generation++;
    this.pcs.length = 0;
    this.starts.length = 0;
  }
  /** Follows the empty moves from `pc` (first choices first), queueing the instructions that read or match. */
  add(prog: Program, pc: number, start: number, cond: number): void {
    if (this.seen[pc] === this.generation) return;
    this.seen[pc] = this.generation;
    const inst = prog.inst[pc];
    switch (inst.op) {
      case FAIL:
        return;
      case ALT:
      case ALT_MATCH:
        this.add(prog, inst.out, start, cond);
        this.add(prog, inst.arg, start, cond);
        return;
      case CAPTURE:
      case NOP:
        this.add(prog, inst.out, start, cond);
        return;
      case EMPTY_WIDTH:
        if ((inst.arg & ~cond) === 0) this.add(prog, inst.out, start, cond);
        return;
      default:
        this.pcs.push(pc);
        this.starts.push(start);
    }
  }
}

/** The code point at `i` of `text` and its length in UTF-16 units; -1 and 0 past the end. */
function runeAt(text: string, i: number): [number, number] {
  if (i >= text.length) return [-1, 0];
  const r = text.codePointAt(i)!;
  return [r, r > 0xffff ? 2 : 1];
}

/** The code point that ends just before `i` (-1 at the start). */
function runeBefore(text: string, i: number): number {
  if (i === 0) return -1;
  const low = text.charCodeAt(i - 1);
  const pair = i >= 2 && low >= 0xdc00 && low <= 0xdfff && text.charCodeAt(i - 2) >= 0xd800 && text.charCodeAt(i - 2) <= 0xdbff;
  return pair ? text.codePointAt(i - 2)! : low;
}

type Inst = Program['inst'][number];

/**
 * The reading instructions a match can start with, or undefined when a match can start without reading (an empty
 * match, an assertion): where none of them takes the next rune and no thread is alive, the search skips ahead.
 */
function startReads(prog: Program): Inst[] | undefined {
  const reads: Inst[] = [];
  const seen = new Set<number>();
  const walk = (pc: number): boolean => {
    if (seen.has(pc)) return true;
    seen.add(pc);
    const inst = prog.inst[pc];
    switch (inst.op) {
      case FAIL:
        return true;
      case ALT:
      case ALT_MATCH:
        return walk(inst.out) && walk(inst.arg);
      case CAPTURE:
      case NOP:
        return walk(inst.out);
      case EMPTY_WIDTH:
      case MATCH:
        return false;
      default:
        reads.push(inst);
        return true;
    }
  };
  return walk(prog.start) ? reads : undefined;
}

/** Whether one of `reads` takes rune `r`. */
function startsWith(reads: Inst[], r: number): boolean {
  for (const inst of reads) if (inst.matchRune(r)) return true;
  return false;
}

/** Go's FindString and FindAllString over one compiled program; its two thread queues serve every search. */
export class ProgramFinder {
  private run: Queue;
  private next: Queue;
  private readonly reads: Inst[] | undefined;

  constructor(
    private readonly prog: Program,
    private readonly anchoredStart: boolean,
  ) {
    this.run = new Queue(prog.inst.length);
    this.next = new Queue(prog.inst.length);
    this.reads = startReads(prog);
  }

  /** The leftmost-first match at or after `from` (UTF-16 offsets `[start, end]`), or undefined. */
  private matchFrom(text: string, from: number): [number, number] | undefined {
    const { prog, anchoredStart, reads } = this;
    let run = this.run;
    let next = this.next;
    run.clear();
    next.clear();
    let match: [number, number] | undefined;
    let pos = from;
    let r = pos < text.length ? text.codePointAt(pos)! : -1;
    let before = runeBefore(text, pos);
    for (;;) {
      if (run.pcs.length === 0) {
        if (match || (anchoredStart && pos !== 0)) break;
        // No thread alive: skip the runes no match can start with.
        if (reads && !anchoredStart) {
          while (r >= 0 && !startsWith(reads, r)) {
            pos += r > 0xffff ? 2 : 1;
            before = r;
            r = pos < text.length ? text.codePointAt(pos)! : -1;
          }
          if (r < 0) break;
        }
      }
      const width = r < 0 ? 0 : r > 0xffff ? 2 : 1;
      if (!match && (!anchoredStart || pos === 0)) run.add(prog, prog.start, pos, context(before, r));
      const after = pos + width < text.length ? text.codePointAt(pos + width)! : -1;
      const cond = context(r, after);
      for (let j = 0; j < run.pcs.length; j++) {
        const inst = prog.inst[run.pcs[j]];
        if (inst.op === MATCH) {
          match = [run.starts[j], pos];
          break; // every thread after this one has lower priority
        }
        if (r >= 0 && inst.matchRune(r)) next.add(prog, inst.out, run.starts[j], cond);
      }
      run.clear();
      if (width === 0) break;
      pos += width;
      before = r;
      r = after;
      const swap = run;
      run = next;
      next = swap;
    }
    return match;
  }

  /**
   * Go's `FindAllString(text, n)`: the successive non-overlapping leftmost-first matches, at most `n` (negative:
   * all); an empty match right after the previous match is skipped, as Go does.
   */
  findAll(text: string, n: number): string[] {
    const out: string[] = [];
    let prevEnd = -1;
    for (let pos = 0; (n < 0 || out.length < n) && pos <= text.length; ) {
      const m = this.matchFrom(text, pos);
      if (!m) break;
      let accept = true;
      if (m[1] === pos) {
        if (m[0] === prevEnd) accept = false;
        pos += Math.max(runeAt(text, pos)[1], 1);
      } else pos = m[1];
      prevEnd = m[1];
      if (accept) out.push(text.slice(m[0], m[1]));
    }
    return out;
  }
}
