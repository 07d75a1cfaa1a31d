/**
 * Resource quantities (`500m`, `1Gi`, `2e3`) with upstream's serialisation rules: every stored quantity is in its
 * canonical form, so `1000m` reads back as `1`, `0.5` as `500m`, `1536Mi` stays `1536Mi` and `2048Ki` becomes
 * `2Mi`. Arithmetic is exact (BigInt), so no amount is rounded except below a nano-unit, which rounds up as
 * upstream does.
 */

// sign, digits with an optional fraction, then a binary-SI suffix, a decimal-SI suffix or a decimal exponent.
const quantityPattern = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

export function isQuantity(value: string): boolean {
  const m = quantityPattern.exec(value);
  // An exponent of more digits than an int64 holds is no quantity; shorter ones need no closer look.
  return m !== null && (m[3] === undefined || m[3].length < 20 || goExponent(m[3].slice(1)) !== undefined);
}

const binary: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const decimal: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const decimalSuffix = new Map(Object.entries(decimal).map(([s, e]) => [e, s]));
const binarySuffix = new Map(Object.entries(binary).map(([s, p]) => [p, s]));
/** Suffix tables: binary-SI suffixes as powers of 1024, decimal-SI ones as powers of ten. */
export { binary as binarySIPowers, decimal as decimalSIExponents };

type Format = 'BinarySI' | 'DecimalSI' | 'DecimalExponent';

/** An exact amount: mantissa x 10^exponent. */
export interface Amount {
  mantissa: bigint;
  exponent: number;
}

function parse(value: string): { amount: Amount; format: Format } | undefined {
  const m = quantityPattern.exec(value);
  if (!m) return undefined;
  const [, sign, number, suffix = ''] = m;
  const [whole, fraction = ''] = number.split('.');
  let mantissa = BigInt((whole || '0') + fraction);
  if (sign === '-') mantissa = -mantissa;
  let exponent = -fraction.length;
  let format: Format;
  if (suffix in binary) {
    format = 'BinarySI';
    mantissa *= 1024n ** BigInt(binary[suffix]);
  } else if (suffix in decimal) {
    format = 'DecimalSI';
    exponent += decimal[suffix];
  } else {
    format = 'DecimalExponent';
    const e = goExponent(suffix.slice(1));
    if (e === undefined) return undefined;
    exponent += e;
  }
  // Binary amounts past int64 are capped to its maximum, either sign (ParseQuantity's maxAllowed).
  // (A binary amount's exponent is its fraction's: zero or below.)
  const bound = format === 'BinarySI' ? maxInt64 * 10n ** BigInt(-exponent) : 0n;
  if (format === 'BinarySI' && (mantissa > bound || mantissa < -bound)) {
    [mantissa, exponent] = [mantissa < 0n ? -maxInt64 : maxInt64, 0];
  }
  return { amount: normalise({ mantissa, exponent }), format };
}

const maxInt64 = 2n ** 63n - 1n;

/**
 * A decimal exponent's digits as ParseQuantity reads them: an int64, or no quantity (`unable to parse quantity's
 * suffix`), then cut to its low 32 bits as Go's int32 conversion does (`1e4294967296` is 1).
 */
export function goExponent(digits: string): number | undefined {
  const e = BigInt(digits);
  if (e > maxInt64 || e < -maxInt64 - 1n) return undefined;
  return Number(BigInt.asIntN(32, e));
}

/** Removes trailing zeros from the mantissa, so equal amounts look the same. */
function normalise(a: Amount): Amount {
  let { mantissa, exponent } = a;
  if (mantissa === 0n) return { mantissa, exponent: 0 };
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  return { mantissa, exponent };
}

/** An amount finer than 10^`exponent`, rounded to it away from zero (Go's Quantity.RoundUp). */
function roundAwayFromZero(a: Amount, exponent: number): Amount {
  if (a.exponent >= exponent) return a;
  // An amount wholly below one unit is one unit: said without 10^(exponent - a.exponent), which for `1e-2000000000`
  // no one can afford.
  const digits = (a.mantissa < 0n ? -a.mantissa : a.mantissa).toString().length;
  if (digits <= exponent - a.exponent) return { mantissa: a.mantissa < 0n ? -1n : 1n, exponent };
  const scale = 10n ** BigInt(exponent - a.exponent);
  let m = a.mantissa / scale;
  if (a.mantissa % scale !== 0n) m += a.mantissa > 0n ? 1n : -1n;
  return normalise({ mantissa: m, exponent });
}

/**
 * The canonical text of a resource list's quantity: upstream's SetDefaults_ResourceList first rounds every amount
 * up to whole thousandths (`1500u` is stored as `2m`).
 */
export function canonicalResourceListQuantity(value: string): string {
  const parsed = parse(value);
  if (!parsed) return value;
  const rounded = roundAwayFromZero(parsed.amount, -3);
  if (rounded === parsed.amount) return canonicalQuantity(value);
  const { mantissa, exponent } = rounded;
  if (parsed.format === 'DecimalExponent') return canonicalQuantity(`${mantissa}e${exponent}`);
  // The same amount written so that it parses in its sent family (binary stays binary when it is whole kibibytes).
  if (exponent >= 0) {
    const whole = mantissa * 10n ** BigInt(exponent);
    return canonicalQuantity(parsed.format === 'BinarySI' && whole % 1024n === 0n ? `${whole / 1024n}Ki` : `${whole}`);
  }
  const negative = mantissa < 0n;
  const digits = (negative ? -mantissa : mantissa).toString().padStart(-exponent + 1, '0');
  return canonicalQuantity(`${negative ? '-' : ''}${digits.slice(0, exponent)}.${digits.slice(exponent)}`);
}

/**
 * Amounts finer than 10^-9 round away from zero to whole nano-units: ParseQuantity rounds the magnitude up, then
 * puts the sign back (`-0.0000000001` is `-1n`).
 */
function roundToNano(a: Amount): Amount {
  return roundAwayFromZero(a, -9);
}

function integerValue(a: Amount): bigint | undefined {
  if (a.exponent >= 0) return a.mantissa * 10n ** BigInt(a.exponent);
  const scale = 10n ** BigInt(-a.exponent);
  return a.mantissa % scale === 0n ? a.mantissa / scale : undefined;
}

/** The canonical text of a quantity, or the input unchanged when it is not a quantity. */
export function canonicalQuantity(value: string): string {
  const parsed = parse(value);
  if (!parsed) return value;
  const amount = roundToNano(parsed.amount);
  if (amount.mantissa === 0n) return '0';
  let format = parsed.format;
  if (format === 'BinarySI') {
    const whole = integerValue(amount);
    // Small or fractional binary amounts read better in decimal units.
    if (whole === undefined || (whole > -1024n && whole < 1024n)) format = 'DecimalSI';
    else {
      let power = 0;
      let m = whole;
      while (power < 6 && m % 1024n === 0n) {
        m /= 1024n;
        power++;
      }
      return `${m}${power ? binarySuffix.get(power) : ''}`;
    }
  }
  // Decimal: the largest exponent that is a multiple of 3 and keeps the mantissa whole (never below 10^-9, where
  // amounts were rounded).
  const exponent = Math.floor(amount.exponent / 3) * 3;
  const mantissa = amount.mantissa * 10n ** BigInt(amount.exponent - exponent);
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  // Decimal SI has no suffix past E (10^18): v1.32's CanonicalizeBytes ignores the failed suffix lookup and writes the
  // mantissa alone, so `1000E` (10^21) is written `1` and `5000E` `5` (apimachinery v0.32.0 quantity.go; fixed after
  // 1.32 by kubernetes/kubernetes#140459).
  return `${mantissa}${decimalSuffix.get(exponent) ?? ''}`;
}

type Schema = {
  format?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  patternProperties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  /** Recursive types (TypeBox Cyclic): definitions and a reference into them. */
  $defs?: Record<string, Schema>;
  $ref?: string;
};

/** Follows a recursive type's reference to its definition. */
function resolve(schema: Schema, defs: Record<string, Schema>): { schema: Schema; defs: Record<string, Schema> } {
  if (schema.$defs) defs = schema.$defs;
  while (schema.$ref !== undefined && defs[schema.$ref]) schema = defs[schema.$ref];
  return { schema, defs };
}

/**
 * The text each rewritten quantity was sent as, by the map (or object) holding it and its key. Upstream prints
 * some bad quantities as Go's parse of what the client sent, which the canonical text no longer tells.
 */
const sentText = new WeakMap<object, Map<string, string>>();

/** What a client sent for the quantity at `holder[key]` when the server rewrote it, else undefined. */
export function sentQuantity(holder: object, key: string): string | undefined {
  return sentText.get(holder)?.get(key);
}

/**
 * Gives `copy`, a copy of the object or array `obj`, the sent texts recorded for `obj`'s own quantities (see
 * sentQuantity): the hook `cloneJson(v, carrySentQuantities)` runs for each object it copies.
 */
export function carrySentQuantities(obj: object, copy: object): void {
  const texts = sentText.get(obj);
  if (texts) sentText.set(copy, texts);
}

/**
 * Whether a value of `schema` (resolved) can hold a quantity anywhere below it. Every create and update walks the
 * object by its schema (canonicalizeQuantities), and most parts of most kinds (all of metadata, a ConfigMap
 * whole) have none: the walk skips them. A `true` is kept for every schema where one is found; a `false` only for
 * the schema asked about, whose search saw everything below it (a schema inside a cycle may be reached while its
 * ancestor's search is still open, so a `false` found there is not final).
 */
const quantityBelow = new WeakMap<Schema, boolean>();
function holdsQuantity(schema: Schema, defs: Record<string, Schema>): boolean {
  const known = quantityBelow.get(schema);
  if (known !== undefined) return known;
  const seen = new Set<Schema>();
  const search = (node: Schema, scope: Record<string, Schema>): boolean => {
    if (seen.has(node)) return false;
    seen.add(node);
    if (quantityBelow.get(node) === true || node.format === 'quantity') return true;
    const children = [
      ...Object.values(node.properties ?? {}),
      ...(node.items ? [node.items] : []),
      ...Object.values(node.patternProperties ?? {}),
      ...(typeof node.additionalProperties === 'object' ? [node.additionalProperties] : []),
    ];
    for (const child of children) {
      const next = resolve(child, scope);
      if (search(next.schema, next.defs)) {
        quantityBelow.set(node, true);
        return true;
      }
    }
    return false;
  };
  const found = search(schema, defs);
  quantityBelow.set(schema, found);
  return found;
}

/**
 * How canonicalizeQuantities walks the values of one schema, compiled once per schema (every create and update of
 * a kind walks the same schemas): the members that hold a quantity, or something that does, and how; the rest are
 * not visited at all (a pod's projected token volume, its container's name and image ...).
 */
interface QuantityPlan {
  /** By property name: its step, or null when nothing below it is a quantity. */
  readonly properties: ReadonlyMap<string, QuantityStep | null>;
  /** The step of a key that is no property (a map's values), or null. */
  readonly otherKeys: QuantityStep | null;
  /** The step of an array's items, or null. */
  readonly items: QuantityStep | null;
}

interface QuantityStep {
  readonly schema: Schema;
  readonly defs: Record<string, Schema>;
  /** The value itself is a quantity (format `quantity`), else it holds one below. */
  readonly quantity: boolean;
}

/** Plans by (unresolved) schema; null: the schema holds no quantity anywhere below it. */
const quantityPlans = new WeakMap<Schema, QuantityPlan | null>();

function quantityPlan(schemaIn: Schema, defsIn: Record<string, Schema>): QuantityPlan | null {
  let plan = quantityPlans.get(schemaIn);
  if (plan !== undefined) return plan;
  const { schema, defs } = resolve(schemaIn, defsIn);
  if (!holdsQuantity(schema, defs)) plan = null;
  else {
    const step = (child: Schema | undefined): QuantityStep | null => {
      if (!child) return null;
      if (child.format === 'quantity') return { schema: child, defs, quantity: true };
      const next = resolve(child, defs);
      return holdsQuantity(next.schema, next.defs) ? { schema: child, defs, quantity: false } : null;
    };
    const properties = new Map<string, QuantityStep | null>();
    for (const [key, child] of Object.entries(schema.properties ?? {})) properties.set(key, step(child));
    plan = { properties, otherKeys: step(mapValueSchema(schema)), items: step(schema.items) };
  }
  quantityPlans.set(schemaIn, plan);
  return plan;
}

/** Rewrites every quantity in `obj` (fields whose schema has format `quantity`) to its canonical form, in place. */
export function canonicalizeQuantities(schemaIn: Schema, obj: unknown, defsIn: Record<string, Schema> = {}): void {
  if (obj === null || typeof obj !== 'object') return;
  const plan = quantityPlan(schemaIn, defsIn);
  if (plan) canonicalizeBy(plan, obj);
}

function canonicalizeBy(plan: QuantityPlan, obj: object): void {
  if (Array.isArray(obj)) {
    const step = plan.items;
    if (step) for (let i = 0; i < obj.length; i++) obj[i] = visit(step, obj[i], false);
    return;
  }
  const record = obj as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const property = plan.properties.get(key);
    // A property that holds no quantity is skipped; a key that is no property is a map's (its values' schema).
    const step = property === undefined ? plan.otherKeys : property;
    if (!step) continue;
    const sent = record[key];
    if (!step.quantity) {
      visit(step, sent, false);
      continue;
    }
    const value = visit(step, sent, property === undefined);
    if (value === sent) continue;
    record[key] = value;
    if ((typeof sent === 'string' || typeof sent === 'number') && String(sent) !== value) {
      let texts = sentText.get(record);
      if (!texts) sentText.set(record, (texts = new Map()));
      texts.set(key, String(sent));
    }
  }
}

function mapValueSchema(schema: Schema): Schema | undefined {
  if (schema.patternProperties) return Object.values(schema.patternProperties)[0];
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

function visit(step: QuantityStep, value: unknown, inMap: boolean): unknown {
  // JSON clients may send a quantity as a number (`cpu: 2`); it is stored as its canonical string. A map of
  // quantities is a ResourceList, which upstream's defaulting rounds to thousandths.
  if (step.quantity) return typeof value === 'string' || typeof value === 'number' ? (inMap ? canonicalResourceListQuantity : canonicalQuantity)(String(value)) : value;
  if (value !== null && typeof value === 'object') {
    const plan = quantityPlan(step.schema, step.defs);
    if (plan) canonicalizeBy(plan, value);
  }
  return value;
}

const sign = (n: bigint) => (n > 0n ? 1 : n < 0n ? -1 : 0);

/**
 * Compares two quantities exactly: < 0 when a < b, 0 when equal, > 0 when a > b. Throws when either is not a
 * quantity (stored objects hold only valid ones).
 */
export function compareQuantities(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) throw new Error(`not a quantity: ${x ? b : a}`);
  return compareAmounts(x.amount, y.amount);
}

/** Compares two exact amounts (normalised or not): -1, 0 or 1, as Go's Quantity.Cmp. */
export function compareAmounts(x: Amount, y: Amount): number {
  // Signs, then orders of magnitude, decide without scaling: a quantity's exponent may be near 2^31 (`1e2000000000`),
  // whose power of ten no one can afford.
  const sx = sign(x.mantissa);
  const sy = sign(y.mantissa);
  if (sx !== sy || sx === 0) return Math.sign(sx - sy);
  const magnitude = (a: Amount) => (a.mantissa < 0n ? -a.mantissa : a.mantissa).toString().length + a.exponent;
  const mx0 = magnitude(x);
  const my0 = magnitude(y);
  if (mx0 !== my0) return mx0 > my0 ? sx : -sx;
  const e = Math.min(x.exponent, y.exponent);
  const mx = x.mantissa * 10n ** BigInt(x.exponent - e);
  const my = y.mantissa * 10n ** BigInt(y.exponent - e);
  return mx < my ? -1 : mx > my ? 1 : 0;
}

/**
 * The amount of a quantity whatever its notation (`1Gi` and `1073741824` give the same key), for comparing
 * quantities by value as Go's Quantity.Cmp (and so Semantic.DeepEqual) does; undefined when not a quantity.
 */
export function quantityAmountKey(value: string): string | undefined {
  const x = parse(value);
  return x && `${x.amount.mantissa}e${x.amount.exponent}`;
}

/**
 * Go's Quantity.ScaledValue(scale): the amount in units of 10^scale (-3 for MilliValue), exact and rounded away from
 * zero (undefined when not a quantity).
 */
export function quantityScaledValue(value: string, scale: number): bigint | undefined {
  const x = parse(value);
  if (!x) return undefined;
  const { mantissa, exponent } = roundAwayFromZero(x.amount, scale);
  return mantissa === 0n ? 0n : mantissa * 10n ** BigInt(exponent - scale);
}

/** Go's Quantity.Value(): the amount as a whole number, rounded away from zero (undefined when not a quantity). */
export function quantityWholeValue(value: string): bigint | undefined {
  return quantityScaledValue(value, 0);
}

/** A quantity as a JavaScript number (approximate; for ratios and messages). */
export function quantityToNumber(value: string): number {
  const x = parse(value);
  if (!x) throw new Error(`not a quantity: ${value}`);
  return Number(x.amount.mantissa) * 10 ** x.amount.exponent;
}

/** The exact sum of quantities, in canonical form (decimal SI, as upstream's sums). */
export function addQuantities(values: readonly string[]): string {
  let mantissa = 0n;
  let exponent = 0;
  for (const v of values) {
    const x = parse(v);
    if (!x) throw new Error(`not a quantity: ${v}`);
    const e = Math.min(exponent, x.amount.exponent);
    mantissa = mantissa * 10n ** BigInt(exponent - e) + x.amount.mantissa * 10n ** BigInt(x.amount.exponent - e);
    exponent = e;
  }
  const negative = mantissa < 0n;
  let digits = (negative ? -mantissa : mantissa).toString();
  if (exponent >= 0) digits += '0'.repeat(exponent);
  else {
    digits = digits.padStart(-exponent + 1, '0');
    digits = `${digits.slice(0, exponent)}.${digits.slice(exponent)}`;
  }
  return canonicalQuantity(`${negative ? '-' : ''}${digits}`);
}

/** What most quantities look like (`250m`, `1.5Gi`, `2`): they parse. */
const commonQuantity = /^[0-9]+(?:\.[0-9]+)?(?:[numkMGTPE]|[KMGTPE]i)?$/;
const quantityFormatWrong = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const quantitySuffixChars = 'eEinumkKMGTP';
const quantitySuffixes = new Set(['', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']);

/**
 * The error upstream's ParseQuantity gives for `str` (after a JSON body's quotes and surrounding spaces are
 * dropped, as Quantity.UnmarshalJSON drops them), or undefined when it parses. Its scanner is more lenient than
 * its documented expression: `.5`, `1.` and a lone sign parse.
 */
export function quantityParseError(str: string): string | undefined {
  if (commonQuantity.test(str)) return undefined;
  if (str === '') return quantityFormatWrong;
  if (str === '0') return undefined;
  let pos = 0;
  const end = str.length;
  const digit = (i: number) => str[i] >= '0' && str[i] <= '9';
  if (str[0] === '-' || str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return undefined;
  while (pos < end && digit(pos)) pos++;
  if (pos >= end) return undefined;
  if (str[pos] === '.') {
    pos++;
    while (pos < end && digit(pos)) pos++;
    if (pos >= end) return undefined;
  }
  const suffixStart = pos;
  while (pos < end && quantitySuffixChars.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && digit(pos)) pos++;
  if (pos < end) return quantityFormatWrong;
  const suffix = str.slice(suffixStart);
  if (quantitySuffixes.has(suffix)) return undefined;
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(suffix.slice(1)) && goExponent(suffix.slice(1)) !== undefined) return undefined;
  return "unable to parse quantity's suffix";
}
