/**
 * Parses a YAML request body (a create or update in `application/yaml`, an apply configuration) without letting
 * the body decide how deep the parser recurses: the YAML library follows nesting on the stack and a few thousand
 * levels exhaust it (or the heap, building its error text), so nesting is counted first and refused beyond
 * `maxYamlDepth`, with the words of Go's YAML decoder. Go's own limit is 10000; no real manifest nests 500 deep.
 * Repeated keys can be reported as Go's strict YAML decoding reports them (`line 3: key "a" already set in map`),
 * the last value winning as Go's non-strict decoding keeps it.
 */
import { LineCounter, isMap, isScalar, parseDocument, visit } from 'yaml';

export const maxYamlDepth = 500;

export class YamlBodyError extends Error {}

export interface YamlBody {
  value: unknown;
  /** `line <n>: key <key> already set in map` per repeated key, in document order (only when asked for). */
  duplicates: string[];
}

export interface YamlBodyOptions {
  /** YAML 1.1 reads `yes`/`no` as booleans, as Go's decoder does. Default 1.2. */
  version?: '1.1' | '1.2';
  /** Report repeated keys instead of refusing the body (the default). */
  reportDuplicates?: boolean;
}

export function parseYamlBody(text: string, opts: YamlBodyOptions = {}): YamlBody {
  if (yamlDepthExceeds(text, maxYamlDepth)) throw new YamlBodyError(`yaml: exceeded max depth of ${maxYamlDepth}`);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { version: opts.version ?? '1.2', uniqueKeys: !opts.reportDuplicates, lineCounter });
  if (doc.errors.length) throw new YamlBodyError(doc.errors[0].message.split('\n')[0]);
  const duplicates = opts.reportDuplicates ? repeatedKeys(doc, lineCounter) : [];
  return { value: doc.toJS({ maxAliasCount: 100 }), duplicates };
}

function repeatedKeys(doc: ReturnType<typeof parseDocument>, lines: LineCounter): string[] {
  const found: Array<{ start: number; end: number; message: string }> = [];
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (!seen.has(key)) {
          seen.add(key);
          continue;
        }
        // Go names the line of the repeated key's value node: a block map or list starts at its first entry.
        const keyRange = isScalar(pair.key) && pair.key.range ? pair.key.range : [0, 0, 0];
        const valueRange = (pair.value as { range?: [number, number, number] } | null)?.range;
        const [start, end] = valueRange ? [valueRange[0], valueRange[1]] : [keyRange[0], keyRange[1]];
        const text = typeof key === 'string' ? JSON.stringify(key) : String(key);
        found.push({ start, end, message: `line ${lines.linePos(start).line}: key ${text} already set in map` });
      }
    },
  });
  // As Go's decoder meets them: a repeated key once its value is decoded, so after the repeats inside that value.
  return found.sort((a, b) => a.end - b.end || b.start - a.start).map((f) => f.message);
}

/**
 * Whether the body may nest deeper than `limit`: flow collections open outside quotes and comments, plus each
 * line's indentation and leading `- ` entries (every block level takes at least one of them). It over-counts
 * rather than under-counts, so a body it passes is safe to parse.
 */
export function yamlDepthExceeds(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  let flow = 0;
  let lineStart = true;
  let block = 0;
  // The last character on the line that was not white space: a quote opens a string only where a value starts.
  let previous = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      lineStart = true;
      block = 0;
      previous = '';
      continue;
    }
    if (lineStart) {
      if (c === ' ' || c === '-' || c === '\t') {
        block++;
        continue;
      }
      lineStart = false;
    }
    if (c === ' ' || c === '\t') continue;
    if ((c === '"' || c === "'") && (previous === '' || ':-[{,?'.includes(previous))) {
      i = endOfQuoted(text, i, c);
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      flow++;
    } else if ((c === ']' || c === '}') && flow > 0) {
      flow--;
    }
    if (flow + block > limit) return true;
    previous = text[i];
  }
  return false;
}

/** The index of the quote that closes the string opened at `start` (or the end of the text). */
function endOfQuoted(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}

/**
 * A body parseYamlBody accepted, read again with every integer a BigInt, so a raw field (ControllerRevision.data)
 * keeps integers past 2^53 exact, as Go's YAMLToJSON does; undefined when the body is not a map.
 */
export function yamlWithExactIntegers(text: string): Record<string, unknown> | undefined {
  const v: unknown = parseDocument(text, { version: '1.2', uniqueKeys: false, intAsBigInt: true }).toJS({ maxAliasCount: 100 });
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
