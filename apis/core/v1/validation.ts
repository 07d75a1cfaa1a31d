import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { invalid, forbidden } from '../../../runtime/machinery/field-errors.ts';
import type { ConfigMap } from './configmap.ts';
import type { Secret } from './secret.ts';

// Keys of data maps: what may appear as a file name or an environment variable name.
const dataKeyPattern = /^[-._a-zA-Z0-9]+$/;
const maxTotalDataBytes = 1024 * 1024;

function validateDataKeys(path: string, keys: string[]): FieldError[] {
  return keys.flatMap((key) => {
    if (key.length > 253 || !dataKeyPattern.test(key) || key === '.' || key === '..') {
      return [invalid(`${path}[${key}]`, key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.'")];
    }
    return [];
  });
}

export function validate_ConfigMap(obj: ConfigMap, old?: ConfigMap): FieldError[] {
  const errors = [
    ...validateDataKeys('data', Object.keys(obj.data ?? {})),
    ...validateDataKeys('binaryData', Object.keys(obj.binaryData ?? {})),
  ];
  for (const key of Object.keys(obj.binaryData ?? {})) {
    if (obj.data && key in obj.data) errors.push(invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
  }
  let size = 0;
  for (const v of Object.values(obj.data ?? {})) size += v.length;
  for (const v of Object.values(obj.binaryData ?? {})) size += v.length;
  if (size > maxTotalDataBytes) errors.push(invalid('data', '', `must have at most ${maxTotalDataBytes} bytes`));
  if (old?.immutable) {
    if (JSON.stringify(old.data ?? {}) !== JSON.stringify(obj.data ?? {}) || JSON.stringify(old.binaryData ?? {}) !== JSON.stringify(obj.binaryData ?? {})) {
      errors.push(forbidden('data', 'field is immutable when `immutable` is set'));
    }
    if (!obj.immutable) errors.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  }
  return errors;
}

export function validate_Secret(obj: Secret, old?: Secret): FieldError[] {
  const errors = validateDataKeys('data', Object.keys(obj.data ?? {}));
  for (const [key, value] of Object.entries(obj.data ?? {})) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
      errors.push(invalid(`data[${key}]`, '<secret contents redacted>', 'must be base64-encoded'));
    }
  }
  if (old) {
    if (old.type !== obj.type) errors.push(invalid('type', obj.type, 'field is immutable'));
    if (old.immutable && JSON.stringify(old.data ?? {}) !== JSON.stringify(obj.data ?? {})) {
      errors.push(forbidden('data', 'field is immutable when `immutable` is set'));
    }
  }
  return errors;
}
