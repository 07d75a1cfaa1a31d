/**
 * Who a write is recorded for in `metadata.managedFields`: the `fieldManager` query parameter, or else the
 * client's User-Agent up to its first `/` (kubectl sends `kubectl-client-side-apply/v1.32.4 (linux/amd64) ...`,
 * `kubectl-edit/...`, so those are the names its writes get), as upstream's handlers name managers.
 */
import { invalid, type FieldError } from '../machinery/field-errors.ts';

/** The longest manager name upstream accepts (FieldManagerMaxLength). */
export const fieldManagerMaxLength = 128;

/** Printable as Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function isPrint(ch: string): boolean {
  return printable.test(ch);
}

/** Names already worked out, by User-Agent: a client sends the same one on every write. Bounded: emptied when full. */
const prefixes = new Map<string, string>();
const maxPrefixes = 256;

/** The manager name a User-Agent stands for: printable characters before the first `/`, at most 128 bytes. */
export function prefixFromUserAgent(userAgent: string): string {
  let prefix = prefixes.get(userAgent);
  if (prefix === undefined) {
    prefix = userAgentPrefix(userAgent);
    if (prefixes.size >= maxPrefixes) prefixes.clear();
    prefixes.set(userAgent, prefix);
  }
  return prefix;
}

function userAgentPrefix(userAgent: string): string {
  let out = '';
  let bytes = 0;
  for (const ch of userAgent.split('/')[0]) {
    if (!isPrint(ch)) continue;
    const len = Buffer.byteLength(ch);
    if (bytes + len > fieldManagerMaxLength) break;
    out += ch;
    bytes += len;
  }
  return out;
}

/** The `fieldManager` parameter when given, else the User-Agent's prefix ('' when neither says anything). */
export function managerOrUserAgent(fieldManager: string, userAgent: string): string {
  return fieldManager || prefixFromUserAgent(userAgent);
}

/** Upstream's ValidateFieldManager: at most 128 bytes, printable characters only. */
export function validateFieldManager(name: string, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (Buffer.byteLength(name) > fieldManagerMaxLength) errors.push({ type: 'FieldValueTooLong', field, detail: `may not be more than ${fieldManagerMaxLength} bytes` });
  let offset = 0;
  for (const ch of name) {
    if (!isPrint(ch)) {
      const cp = ch.codePointAt(0)!;
      errors.push(invalid(field, name, `invalid character U+${cp.toString(16).toUpperCase().padStart(4, '0')} (at position ${offset})`));
    }
    offset += Buffer.byteLength(ch);
  }
  return errors;
}
