/**
 * Checks that several core/v1 validators share (pods, nodes, endpoints, limit ranges, volumes): IP addresses, port
 * numbers and approximate quantity values, with upstream's messages (k8s.io/apimachinery/pkg/util/validation).
 */
import { invalid, type FieldError } from '../../../runtime/machinery/field-errors.ts';
import { goQuantity, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { compareQuantities, isQuantity, quantityWholeValue, sentQuantity } from '../../../runtime/machinery/quantity.ts';
import { isQualifiedName } from '../../../runtime/machinery/string-checks.ts';
import { firstFloat64Overflow, readGoJson } from '../../../runtime/machinery/gojson.ts';

export const portRangeMsg = 'must be between 1 and 65535, inclusive';
export const ipMsg = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

export function validPort(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
}

const suffixes: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Approximate numeric value of a quantity, for ordering comparisons (NaN when unparsable). */
export function quantityValue(q: string): number {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(String(q));
  if (!m) return NaN;
  const suffix = m[2] ?? '';
  return Number(m[1]) * (suffix in suffixes ? suffixes[suffix] : 10 ** Number(suffix.slice(1)));
}

// ---- resource names and quantities (upstream's core helper sets and ValidateResourceQuantityValue) ----

const hugePagesPrefix = 'hugepages-';
const requestsHugePagesPrefix = 'requests.hugepages-';

/** Names any resource list may use without a domain (upstream's standardResources). */
const standardResources = new Set(['cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers']);
/** Names a ResourceQuota may use without a domain: the standard ones but plain `storage`. */
const standardQuotaResources = new Set([...standardResources].filter((n) => n !== 'storage'));
/** Object counts, which are whole numbers. */
const integerResources = new Set(['pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);

export const isHugePagesResourceName = (name: string) => name.startsWith(hugePagesPrefix);
const isQuotaHugePages = (name: string) => name.startsWith(hugePagesPrefix) || name.startsWith(requestsHugePagesPrefix);
export const isStandardQuotaResourceName = (name: string) => standardQuotaResources.has(name) || isQuotaHugePages(name);
const isStandardResourceName = (name: string) => standardResources.has(name) || isQuotaHugePages(name);
const isStandardContainerResourceName = (name: string) => name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith(hugePagesPrefix);
/** Unprefixed names and names under kubernetes.io belong to Kubernetes. */
export const isNativeResource = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
/** A device plugin's resource: outside kubernetes.io, not `requests.`-prefixed, and still qualified once it is. */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}
/** Resources that may be requested below their limit: native ones but hugepages. */
export const isOvercommitAllowed = (name: string) => isNativeResource(name) && !name.startsWith(hugePagesPrefix);
const isIntegerResourceName = (name: string) => integerResources.has(name) || isExtendedResourceName(name);

/** A resource name: qualified, and standard when it has no domain (upstream's validateResourceName). */
export function validateResourceName(path: string, name: string): FieldError[] {
  const errors = isQualifiedName(name).map((msg) => invalid(path, name, msg));
  if (errors.length) return errors;
  if (!name.includes('/') && !isStandardResourceName(name)) errors.push(invalid(path, name, 'must be a standard resource type or fully qualified'));
  return errors;
}

/** A container's (or a Pod limit's) resource name (upstream's validateContainerResourceName). */
export function validateContainerResourceName(path: string, name: string): FieldError[] {
  const errors = validateResourceName(path, name);
  if (!name.includes('/')) {
    if (!isStandardContainerResourceName(name)) errors.push(invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errors.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errors;
}

/** A resource name a ResourceQuota may count (upstream's ValidateResourceQuotaResourceName). */
export function validateQuotaResourceName(path: string, name: string): FieldError[] {
  const errors = validateResourceName(path, name);
  if (!name.includes('/') && !isStandardQuotaResourceName(name)) errors.push(invalid(path, name, 'must be a standard resource for quota'));
  return errors;
}

/**
 * The quantity `list[name]` of a resource list: not negative, and whole for counted resources (upstream's
 * ValidateResourceQuantityValue). A value that is not whole is shown as Go parsed what the client sent.
 */
export function validateResourceQuantityValue(name: string, list: Record<string, string>, path: string): FieldError[] {
  const value = list[name];
  if (!isQuantity(value)) return [];
  const errors: FieldError[] = [];
  if (compareQuantities(value, '0') < 0) errors.push(invalid(path, value, 'must be greater than or equal to 0'));
  if (isIntegerResourceName(name) && compareQuantities(value, String(quantityWholeValue(value))) !== 0) {
    errors.push(invalid(path, goValue(goQuantity, sentQuantity(list, name) ?? value), 'must be an integer'));
  }
  return errors;
}

/**
 * Whether a hugepages amount is a whole number of pages (upstream's IsHugePageResourceValueDivisible): the page
 * size is the name's suffix, and one that does not parse, or is not a positive whole number, divides nothing.
 */
export function isHugePagesValueDivisible(name: string, value: string): boolean {
  const pageSize = quantityWholeValue(name.slice(hugePagesPrefix.length));
  const amount = quantityWholeValue(value);
  if (pageSize === undefined || amount === undefined || pageSize <= 0n) return false;
  if (compareQuantities(name.slice(hugePagesPrefix.length), pageSize.toString()) !== 0) return false;
  return amount % pageSize === 0n;
}

/**
 * What Go's encoding/json says when text (a docker config Secret's data) does not decode into the Go type named:
 * json.Unmarshal checks the whole text's syntax first, so a syntax error anywhere is the scanner's ('invalid
 * character ...' at the first bad character, 'unexpected end of JSON input'), worded by the request decoder's own
 * scanner; then a top-level value of the wrong kind; then the first number past a float64, which the interface{}
 * values inside cannot hold.
 */
export function jsonDecodeError(text: string, goType: string, wantArray: boolean): string | undefined {
  const read = readGoJson(text);
  if ('error' in read) return read.error;
  const value = read.value;
  if (value === null) return undefined;
  const kind = Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'bool';
  if (wantArray ? kind !== 'array' : kind !== 'object') return `json: cannot unmarshal ${kind} into Go value of type ${goType}`;
  // The values inside are interface{}s, whose numbers are float64s.
  const overflow = firstFloat64Overflow(text);
  return overflow === undefined ? undefined : `json: cannot unmarshal number ${overflow} into Go value of type float64`;
}
