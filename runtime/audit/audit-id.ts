/**
 * Audit IDs as upstream's are written (a UUID, `Audit-Id`), made without a random draw per request: one random UUID
 * per process whose last twelve hex digits count requests from a random start. IDs stay unique (74 random bits per
 * process, 2^48 requests before the count wraps) and unlike crypto.randomUUID, which joins 20 strings per call (~0.6
 * KB), each is one flat 36-byte string. Nothing needs them unguessable: a client may set its own (`Audit-ID`).
 */
import { randomInt, randomUUID } from 'node:crypto';

const hex = '0123456789abcdef';
const text = Buffer.from(randomUUID(), 'latin1');
const countAt = 24;
let count = randomInt(2 ** 47);

export function newAuditID(): string {
  count = count + 1 < 2 ** 48 ? count + 1 : 0;
  let n = count;
  for (let i = text.length - 1; i >= countAt; i--) {
    text[i] = hex.charCodeAt(n % 16);
    n = Math.floor(n / 16);
  }
  return text.toString('latin1');
}
