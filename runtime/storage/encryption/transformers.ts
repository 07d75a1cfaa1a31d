/**
 * Value transformers: what stands between an encoded object and the bytes kept in the KV store when encryption at
 * rest is on (upstream's k8s.io/apiserver/pkg/storage/value). Each provider lays its bytes out as upstream does, so a
 * stored value has the same shape as one written by kube-apiserver:
 *
 *   aescbc:    `k8s:enc:aescbc:v1:<key name>:`    + IV (16)    + AES-CBC ciphertext with PKCS#7 padding
 *   aesgcm:    `k8s:enc:aesgcm:v1:<key name>:`    + nonce (12) + AES-GCM ciphertext + tag (16), the storage key as
 *                                                  additional authenticated data (a value moved to another key fails)
 *   secretbox: `k8s:enc:secretbox:v1:<key name>:` + nonce (24) + Poly1305 tag (16) + XSalsa20 ciphertext
 *   identity:  the plaintext as it is (refuses to "read" anything starting `k8s:enc:`)
 *
 * Everything here is synchronous (Node's crypto and tweetnacl are), so decoding a stored value stays synchronous
 * and the watch cache can keep decoding events in order.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import nacl from 'tweetnacl';
import { aggregateErrors } from '../../machinery/aggregate-errors.ts';

/** What a read gives back: the plaintext, and whether it was written by other than the current write provider. */
export interface FromStorage {
  data: Uint8Array;
  /** True when the value should be rewritten even if unchanged (it was read with a non-first provider or key). */
  stale: boolean;
}

export interface Transformer {
  /** Decrypts a stored value; `key` is the storage key (authenticated data where the provider uses it). Throws. */
  fromStorage(data: Uint8Array, key: string): FromStorage;
  /** Encrypts a value for storage under `key`. */
  toStorage(data: Uint8Array, key: string): Uint8Array;
}

/** A transformer selected by a byte prefix of the stored value (the prefix is stripped before it runs). */
export interface PrefixTransformer {
  prefix: Uint8Array;
  transformer: Transformer;
}

const encryptedMarker = Buffer.from('k8s:enc:');

function hasPrefix(data: Uint8Array, prefix: Uint8Array): boolean {
  if (data.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[i] !== prefix[i]) return false;
  return true;
}

/** Stores plaintext; refuses to pass encrypted values through as if they were plaintext. */
export const identityTransformer: Transformer = {
  fromStorage(data) {
    if (hasPrefix(data, encryptedMarker)) throw new Error('identity transformer tried to read encrypted data');
    return { data, stale: false };
  },
  toStorage: (data) => data,
};

/**
 * Tries the transformers whose prefix matches, in order; the first writes. A match that fails does not stop the
 * search (two aescbc providers share a prefix while one is rotated away), and an empty prefix (identity) that fails
 * is skipped silently. Reading with anything but the first marks the value stale.
 */
export function prefixTransformers(noMatch: string, list: readonly PrefixTransformer[]): Transformer {
  if (!list.length) throw new Error('at least one transformer is required');
  return {
    fromStorage(data, key) {
      const errors: string[] = [];
      for (let i = 0; i < list.length; i++) {
        const { prefix, transformer } = list[i];
        if (!hasPrefix(data, prefix)) continue;
        try {
          const out = transformer.fromStorage(data.subarray(prefix.length), key);
          return { data: out.data, stale: out.stale || i !== 0 };
        } catch (e) {
          if (prefix.length === 0) continue;
          errors.push((e as Error).message);
        }
      }
      if (errors.length) throw new Error(aggregateErrors(errors));
      throw new Error(noMatch);
    },
    toStorage(data, key) {
      const { prefix, transformer } = list[0];
      const body = transformer.toStorage(data, key);
      const out = new Uint8Array(prefix.length + body.length);
      out.set(prefix, 0);
      out.set(body, prefix.length);
      return out;
    },
  };
}

function aesName(key: Uint8Array, mode: 'cbc' | 'gcm'): string {
  if (![16, 24, 32].includes(key.length)) throw new Error(`invalid key size ${key.length} (AES needs 16, 24 or 32 bytes)`);
  return `aes-${key.length * 8}-${mode}`;
}

/** AES-CBC with a random IV per write and PKCS#7 padding. `name`: the key's name, for error messages. */
export function aescbcTransformer(key: Uint8Array, name: string): Transformer {
  const algorithm = aesName(key, 'cbc');
  return {
    fromStorage(data) {
      if (data.length < 16) throw new Error('the stored data was shorter than the required size');
      if ((data.length - 16) % 16 !== 0) throw new Error('the stored data is not a multiple of the block size');
      try {
        const d = createDecipheriv(algorithm, key, data.subarray(0, 16));
        return { data: Buffer.concat([d.update(data.subarray(16)), d.final()]), stale: false };
      } catch (e) {
        throw new Error(`failed to decrypt with aescbc key "${name}": ${(e as Error).message}`);
      }
    },
    toStorage(data) {
      const iv = randomBytes(16);
      const c = createCipheriv(algorithm, key, iv);
      return Buffer.concat([iv, c.update(data), c.final()]);
    },
  };
}

/** AES-GCM with a random 96-bit nonce per write, authenticated with the storage key. */
export function aesgcmTransformer(key: Uint8Array, name: string): Transformer {
  const algorithm = aesName(key, 'gcm') as 'aes-256-gcm'; // any of the three GCM widths
  return {
    fromStorage(data, storageKey) {
      if (data.length < 12 + 16) throw new Error('the stored data was shorter than the required size');
      try {
        const d = createDecipheriv(algorithm, key, data.subarray(0, 12), { authTagLength: 16 });
        d.setAAD(Buffer.from(storageKey));
        d.setAuthTag(data.subarray(data.length - 16));
        return { data: Buffer.concat([d.update(data.subarray(12, data.length - 16)), d.final()]), stale: false };
      } catch {
        throw new Error(`failed to decrypt with aesgcm key "${name}": message authentication failed`);
      }
    },
    toStorage(data, storageKey) {
      const nonce = randomBytes(12);
      const c = createCipheriv(algorithm, key, nonce, { authTagLength: 16 });
      c.setAAD(Buffer.from(storageKey));
      const body = Buffer.concat([c.update(data), c.final()]);
      return Buffer.concat([nonce, body, c.getAuthTag()]);
    },
  };
}

/** NaCl secretbox (XSalsa20-Poly1305) with a random 24-byte nonce per write. */
export function secretboxTransformer(key: Uint8Array, name: string): Transformer {
  if (key.length !== 32) throw new Error(`expected key size 32 for secretbox provider, got ${key.length}`);
  const k = new Uint8Array(key);
  return {
    fromStorage(data) {
      if (data.length < nacl.secretbox.overheadLength + 24) throw new Error('the stored data was shorter than the required size');
      const out = nacl.secretbox.open(data.subarray(24), data.subarray(0, 24), k);
      if (!out) throw new Error(`failed to decrypt with secretbox key "${name}": message authentication failed`);
      return { data: out, stale: false };
    },
    toStorage(data) {
      const nonce = randomBytes(24);
      const box = nacl.secretbox(data, nonce, k);
      const out = new Uint8Array(24 + box.length);
      out.set(nonce, 0);
      out.set(box, 24);
      return out;
    },
  };
}
