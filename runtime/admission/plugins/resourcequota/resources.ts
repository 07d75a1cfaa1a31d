/**
 * Resource lists (`{ "requests.cpu": "500m", "count/configmaps": "2" }`) and the arithmetic quota needs, as
 * upstream's k8s.io/apiserver/pkg/quota/v1 helpers. Amounts are exact: a quantity is held as a count of
 * nano-units (BigInt), with whether it was written in binary units so sums of `Mi` read back in `Mi`.
 */
import { canonicalQuantity } from '../../../machinery/quantity.ts';

export type ResourceList = Record<string, string>;

interface Amount {
  nano: bigint;
  binary: boolean;
}

const pattern = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const binaryPower: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const decimalExponent: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** A quantity's amount; a malformed one counts as zero (validation refuses them before quota sees them). */
export function amount(value: string | undefined): Amount {
  const m = value === undefined ? null : pattern.exec(String(value).trim());
  if (!m) return { nano: 0n, binary: false };
  const [, sign, number, suffix = ''] = m;
  const [whole, fraction = ''] = number.split('.');
  let digits = BigInt((whole || '0') + fraction);
  let exponent = 9 - fraction.length;
  let binary = false;
  if (suffix in binaryPower) {
    digits *= 1024n ** BigInt(binaryPower[suffix]);
    binary = true;
  } else if (suffix in decimalExponent) exponent += decimalExponent[suffix];
  else exponent += Number(suffix.slice(1));
  let nano: bigint;
  if (exponent >= 0) nano = digits * 10n ** BigInt(exponent);
  else {
    // Below a nano-unit rounds up, as upstream.
    const scale = 10n ** BigInt(-exponent);
    nano = digits / scale + (digits % scale === 0n ? 0n : 1n);
  }
  return { nano: sign === '-' ? -nano : nano, binary };
}

/** The canonical text of an amount, in binary units when it came from them and is a whole number of KiB. */
export function format(a: Amount): string {
  if (a.nano === 0n) return '0';
  const billion = 1_000_000_000n;
  if (a.binary && a.nano % billion === 0n) {
    const whole = a.nano / billion;
    if (whole % 1024n === 0n) return canonicalQuantity(`${whole / 1024n}Ki`);
  }
  return canonicalQuantity(`${a.nano}n`);
}

function combine(a: ResourceList, b: ResourceList, op: (x: Amount, y: Amount) => Amount, keys: Iterable<string>): ResourceList {
  const out: ResourceList = {};
  for (const k of keys) out[k] = format(op(amount(a[k] ?? '0'), amount(b[k] ?? '0')));
  return out;
}

const union = (a: ResourceList, b: ResourceList) => new Set([...Object.keys(a), ...Object.keys(b)]);

export function add(a: ResourceList, b: ResourceList): ResourceList {
  return combine(a, b, (x, y) => ({ nano: x.nano + y.nano, binary: x.binary || y.binary }), union(a, b));
}

/** a - b, never below zero (usage that went away). */
export function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  return combine(a, b, (x, y) => ({ nano: x.nano > y.nano ? x.nano - y.nano : 0n, binary: x.binary || y.binary }), union(a, b));
}

export function max(a: ResourceList, b: ResourceList): ResourceList {
  return combine(a, b, (x, y) => (x.nano >= y.nano ? x : y), union(a, b));
}

/** Only the entries named in `names`. */
export function mask(list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = {};
  for (const n of names) if (n in list) out[n] = list[n];
  return out;
}

export function removeZeros(list: ResourceList): ResourceList {
  return Object.fromEntries(Object.entries(list).filter(([, v]) => amount(v).nano !== 0n));
}

export function negative(list: ResourceList): string[] {
  return Object.keys(list)
    .filter((k) => amount(list[k]).nano < 0n)
    .sort();
}

/** Whether every entry of `a` is at most the same entry of `b` (missing in `b`: no limit); the names that exceed. */
export function lessThanOrEqual(a: ResourceList, b: ResourceList): { ok: boolean; exceeded: string[] } {
  const exceeded = Object.keys(a).filter((k) => k in b && amount(a[k]).nano > amount(b[k]).nano);
  return { ok: exceeded.length === 0, exceeded };
}

export function equal(a: ResourceList | undefined, b: ResourceList | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const keys = union(x, y);
  for (const k of keys) {
    if (!(k in x) || !(k in y) || amount(x[k]).nano !== amount(y[k]).nano) return false;
  }
  return true;
}

/** `a=1,b=2`, sorted by name, as upstream's prettyPrint. */
export function prettyPrint(list: ResourceList): string {
  return Object.keys(list)
    .sort()
    .map((k) => `${k}=${list[k]}`)
    .join(',');
}
