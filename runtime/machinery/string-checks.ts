/**
 * The string checks every kind's validation shares (names, label values, keys, ports, environment variables),
 * each returning the messages kube-apiserver gives, word for word: clients and people match on them. A check
 * returns an empty list for a good value; callers wrap each message in a field error (`invalid(path, v, msg)`).
 */

/** `must be no more than N characters`. */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** A description, examples, and the pattern used, in upstream's wording (note its two spaces after commas). */
export function regexError(msg: string, pattern: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${pattern}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${pattern}')`;
}

/**
 * Whether Go's `len(value) > limit`: Go counts UTF-8 bytes, JavaScript UTF-16 units (at most three bytes each), so
 * the bytes are counted only when the units alone cannot tell.
 */
export function goLenOver(value: string, limit: number): boolean {
  return value.length > limit || (value.length * 3 > limit && Buffer.byteLength(value) > limit);
}

export const emptyError = 'must be non-empty';

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValueFmt = `(${qualifiedNameFmt})?`;
const cIdentifierFmt = '[A-Za-z_][A-Za-z0-9_]*';
const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const configMapKeyFmt = '[-._a-zA-Z0-9]+';
const percentFmt = '[0-9]+%';
const httpHeaderNameFmt = '[-A-Za-z0-9]+';

const anchored = (fmt: string) => new RegExp(`^${fmt}$`);
const dns1123Label = anchored(dns1123LabelFmt);
const dns1123Subdomain = anchored(dns1123SubdomainFmt);
const dns1035Label = anchored(dns1035LabelFmt);
const qualifiedName = anchored(qualifiedNameFmt);
const labelValue = anchored(labelValueFmt);
const cIdentifier = anchored(cIdentifierFmt);
const envVarName = anchored(envVarNameFmt);
const configMapKey = anchored(configMapKeyFmt);
const percent = anchored(percentFmt);
const httpHeaderName = anchored(httpHeaderNameFmt);

export const dns1123LabelMessage = regexError(
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  dns1123LabelFmt, 'my-name', '123-abc');
export const dns1123SubdomainMessage = regexError(
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  dns1123SubdomainFmt, 'example.com');
export const dns1035LabelMessage = regexError(
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
  dns1035LabelFmt, 'my-name', 'abc-123');
const qualifiedNamePartMessage = regexError(
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  qualifiedNameFmt, 'MyName', 'my.name', '123-abc');

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (goLenOver(value, 63)) errs.push(maxLenError(63));
  if (!dns1123Label.test(value)) errs.push(dns1123Subdomain.test(value) ? 'must not contain dots' : dns1123LabelMessage);
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (goLenOver(value, 253)) errs.push(maxLenError(253));
  if (!dns1123Subdomain.test(value)) errs.push(dns1123SubdomainMessage);
  return errs;
}

const wildcardDNS1123SubdomainFmt = `\\*\\.${dns1123SubdomainFmt}`;
const wildcardDNS1123Subdomain = anchored(wildcardDNS1123SubdomainFmt);
const wildcardDNS1123SubdomainMessage = regexError(
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
  wildcardDNS1123SubdomainFmt, '*.example.com');

/** A DNS subdomain whose first label is `*` (Ingress hosts). */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (goLenOver(value, 253)) errs.push(maxLenError(253));
  if (!wildcardDNS1123Subdomain.test(value)) errs.push(wildcardDNS1123SubdomainMessage);
  return errs;
}

/** A name that can be one segment of a URL path (apimachinery's IsValidPathSegmentName). */
export function isValidPathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  return isValidPathSegmentPrefix(value);
}

/**
 * The start of such a name (apimachinery's IsValidPathSegmentPrefix): every character it may not contain, but `.`
 * and `..` pass, since what is appended makes them another name.
 */
export function isValidPathSegmentPrefix(value: string): string[] {
  return ['/', '%'].filter((c) => value.includes(c)).map((c) => `may not contain '${c}'`);
}

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (goLenOver(value, 63)) errs.push(maxLenError(63));
  if (!dns1035Label.test(value)) errs.push(dns1035LabelMessage);
  return errs;
}

/** A label or annotation key: `[prefix/]name`, the prefix a DNS subdomain. */
export function isQualifiedName(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) {
    return [`a qualified name ${qualifiedNamePartMessage} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const errs: string[] = [];
  const name = parts.length === 2 ? parts[1] : parts[0];
  if (parts.length === 2) {
    if (parts[0] === '') errs.push(`prefix part ${emptyError}`);
    else errs.push(...isDNS1123Subdomain(parts[0]).map((m) => `prefix part ${m}`));
  }
  if (name === '') errs.push(`name part ${emptyError}`);
  else if (goLenOver(name, 63)) errs.push(`name part ${maxLenError(63)}`);
  if (!qualifiedName.test(name)) errs.push(`name part ${qualifiedNamePartMessage}`);
  return errs;
}

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (goLenOver(value, 63)) errs.push(maxLenError(63));
  if (!labelValue.test(value)) {
    errs.push(regexError(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      labelValueFmt, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

export function isCIdentifier(value: string): string[] {
  return cIdentifier.test(value) ? [] : [regexError(
    "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'",
    cIdentifierFmt, 'my_name', 'MY_NAME', 'MyName')];
}

/** `.`, `..` and a `..` prefix would escape a directory when the key becomes a file name. */
function chDirPrefixErrors(value: string): string[] {
  if (value === '.') return [`must not be '.'`];
  if (value === '..') return [`must not be '..'`];
  if (value.startsWith('..')) return [`must not start with '..'`];
  return [];
}

export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!envVarName.test(value)) {
    errs.push(regexError(
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
      envVarNameFmt, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'));
  }
  return [...errs, ...chDirPrefixErrors(value)];
}

/** The relaxed rule (RelaxedEnvironmentVariableValidation): printable ASCII other than `=`. */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value === '') errs.push(`environment variable name ${emptyError}`);
  if ([...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) > 0x7e || ch === '=')) {
    errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
  }
  return errs;
}

/** A ConfigMap or Secret key (it becomes a file name in a volume). */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (goLenOver(value, 253)) errs.push(maxLenError(253));
  if (!configMapKey.test(value)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  }
  return [...errs, ...chDirPrefixErrors(value)];
}

export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

export function isInRange(value: number, lo: number, hi: number): string[] {
  return value >= lo && value <= hi ? [] : [inclusiveRangeError(lo, hi)];
}

/** An IANA_SVC_NAME: what a named container port or a targetPort name must be. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (goLenOver(port, 15)) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function isValidPercent(value: string): string[] {
  return percent.test(value) ? [] : [regexError("a valid percent string must be a numeric string followed by an ending '%'", percentFmt, '1%', '93%')];
}

export function isHTTPHeaderName(value: string): string[] {
  return httpHeaderName.test(value) ? [] : [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", httpHeaderNameFmt, 'X-Header-Name')];
}
