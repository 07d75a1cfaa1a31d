// Encryption at rest: the providers' stored byte layout, key rotation, and the EncryptionConfiguration file checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv, randomBytes } from 'node:crypto';
import nacl from 'tweetnacl';
import { parseEncryptionConfig } from '../../runtime/storage/encryption/config.ts';
import { keyResolver } from '../../runtime/storage/encryption/kv.ts';

const key32 = () => randomBytes(32).toString('base64');
const enc = new TextEncoder();
const dec = new TextDecoder();

function config(resources: string[], providers: unknown[]) {
  return parseEncryptionConfig({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: [{ resources, providers }] });
}

const storageKey = '/registry/secrets/default/s1';
const plaintext = enc.encode('{"kind":"Secret","data":{"a":"c2VjcmV0"}}');

test('aescbc lays out prefix, key name, IV and PKCS#7 ciphertext as upstream, with a fresh IV per write', () => {
  const secret = key32();
  const t = config(['secrets'], [{ aescbc: { keys: [{ name: 'key1', secret }] } }]).transformerFor('', 'secrets')!;
  const stored = t.toStorage(plaintext, storageKey);
  const prefix = 'k8s:enc:aescbc:v1:key1:';
  assert.equal(Buffer.from(stored.subarray(0, prefix.length)).toString(), prefix);
  const body = stored.subarray(prefix.length);
  assert.equal((body.length - 16) % 16, 0);
  // Decrypt by hand: IV first, then AES-256-CBC with PKCS#7.
  const d = createDecipheriv('aes-256-cbc', Buffer.from(secret, 'base64'), body.subarray(0, 16));
  assert.equal(Buffer.concat([d.update(body.subarray(16)), d.final()]).toString(), dec.decode(plaintext));
  assert.notDeepEqual(t.toStorage(plaintext, storageKey), stored, 'random IV');
  assert.deepEqual(dec.decode(t.fromStorage(stored, storageKey).data), dec.decode(plaintext));
});

test('aesgcm: nonce, ciphertext and tag, bound to the storage key', () => {
  const secret = randomBytes(16).toString('base64');
  const t = config(['secrets'], [{ aesgcm: { keys: [{ name: 'k', secret }] } }]).transformerFor('', 'secrets')!;
  const stored = t.toStorage(plaintext, storageKey);
  const prefix = 'k8s:enc:aesgcm:v1:k:';
  assert.equal(Buffer.from(stored.subarray(0, prefix.length)).toString(), prefix);
  const body = stored.subarray(prefix.length);
  assert.equal(body.length, 12 + plaintext.length + 16);
  const d = createDecipheriv('aes-128-gcm', Buffer.from(secret, 'base64'), body.subarray(0, 12));
  d.setAAD(Buffer.from(storageKey));
  d.setAuthTag(body.subarray(body.length - 16));
  assert.equal(Buffer.concat([d.update(body.subarray(12, body.length - 16)), d.final()]).toString(), dec.decode(plaintext));
  assert.equal(dec.decode(t.fromStorage(stored, storageKey).data), dec.decode(plaintext));
  assert.throws(() => t.fromStorage(stored, '/registry/secrets/default/other'), /failed to decrypt with aesgcm key "k"/);
});

test('secretbox: nonce then the NaCl box', () => {
  const secret = key32();
  const t = config(['secrets'], [{ secretbox: { keys: [{ name: 'sb', secret }] } }]).transformerFor('', 'secrets')!;
  const stored = t.toStorage(plaintext, storageKey);
  const prefix = 'k8s:enc:secretbox:v1:sb:';
  assert.equal(Buffer.from(stored.subarray(0, prefix.length)).toString(), prefix);
  const body = stored.subarray(prefix.length);
  const opened = nacl.secretbox.open(body.subarray(24), body.subarray(0, 24), Buffer.from(secret, 'base64'));
  assert.equal(dec.decode(opened!), dec.decode(plaintext));
});

test('rotation: every key and provider reads, the first writes, reads with the others are stale', () => {
  const oldKey = key32();
  const newKey = key32();
  const before = config(['secrets'], [{ aescbc: { keys: [{ name: 'old', secret: oldKey }] } }, { identity: {} }]).transformerFor('', 'secrets')!;
  const during = config(['secrets'], [{ aescbc: { keys: [{ name: 'new', secret: newKey }, { name: 'old', secret: oldKey }] } }, { identity: {} }]).transformerFor('', 'secrets')!;
  const old = before.toStorage(plaintext, storageKey);
  const read = during.fromStorage(old, storageKey);
  assert.equal(dec.decode(read.data), dec.decode(plaintext));
  assert.equal(read.stale, true, 'written with a non-first key');
  const rewritten = during.toStorage(read.data, storageKey);
  assert.match(Buffer.from(rewritten.subarray(0, 22)).toString(), /^k8s:enc:aescbc:v1:new:/);
  assert.equal(during.fromStorage(rewritten, storageKey).stale, false);
  // Plaintext written before encryption was turned on is still read (by identity), and is stale.
  const plain = during.fromStorage(plaintext, storageKey);
  assert.equal(dec.decode(plain.data), dec.decode(plaintext));
  assert.equal(plain.stale, true);
});

test('identity first reads encrypted data with a later provider; identity alone refuses it', () => {
  const secret = key32();
  const encrypting = config(['secrets'], [{ secretbox: { keys: [{ name: 'k', secret }] } }]).transformerFor('', 'secrets')!;
  const decrypting = config(['secrets'], [{ identity: {} }, { secretbox: { keys: [{ name: 'k', secret }] } }]).transformerFor('', 'secrets')!;
  const stored = encrypting.toStorage(plaintext, storageKey);
  assert.equal(dec.decode(decrypting.fromStorage(stored, storageKey).data), dec.decode(plaintext));
  assert.deepEqual(decrypting.toStorage(plaintext, storageKey), plaintext, 'identity writes plaintext');
  const identityOnly = config(['secrets'], [{ identity: {} }]).transformerFor('', 'secrets')!;
  assert.throws(() => identityOnly.fromStorage(stored, storageKey), /no matching prefix found/);
});

test('a wrong key names the failed decryption; an unknown key name says no key matched', () => {
  const a = config(['secrets'], [{ aescbc: { keys: [{ name: 'k', secret: key32() }] } }]).transformerFor('', 'secrets')!;
  const b = config(['secrets'], [{ aescbc: { keys: [{ name: 'k', secret: key32() }] } }]).transformerFor('', 'secrets')!;
  const c = config(['secrets'], [{ aescbc: { keys: [{ name: 'other', secret: key32() }] } }]).transformerFor('', 'secrets')!;
  const stored = a.toStorage(enc.encode('x'.repeat(100)), storageKey);
  // CBC with a wrong key fails its padding check (all but ~1/256 of the time: try several values).
  let failures = 0;
  for (let i = 0; i < 8; i++) {
    try {
      b.fromStorage(a.toStorage(enc.encode(`value ${i}`), storageKey), storageKey);
    } catch (e) {
      assert.match((e as Error).message, /failed to decrypt with aescbc key "k"/);
      failures++;
    }
  }
  assert.ok(failures >= 6);
  assert.throws(() => c.fromStorage(stored, storageKey), /no matching key was found for the provided AES transformer/);
});

test('resources: exact names, group wildcards and *.* are looked up in that order', () => {
  const cfg = parseEncryptionConfig({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'EncryptionConfiguration',
    resources: [
      { resources: ['secrets', 'deployments.apps'], providers: [{ aesgcm: { keys: [{ name: 'a', secret: key32() }] } }] },
      { resources: ['*.apps'], providers: [{ secretbox: { keys: [{ name: 'b', secret: key32() }] } }] },
      { resources: ['*.'], providers: [{ aescbc: { keys: [{ name: 'c', secret: key32() }] } }] },
      { resources: ['*.*'], providers: [{ identity: {} }] },
    ],
  });
  const prefixOf = (g: string, r: string) => Buffer.from(cfg.transformerFor(g, r)!.toStorage(plaintext, '/k')).toString('latin1').slice(0, 20);
  assert.match(prefixOf('', 'secrets'), /^k8s:enc:aesgcm:v1:a:/);
  assert.match(prefixOf('apps', 'deployments'), /^k8s:enc:aesgcm:v1:a:/);
  assert.match(prefixOf('apps', 'replicasets'), /^k8s:enc:secretbox:v1/);
  assert.match(prefixOf('', 'configmaps'), /^k8s:enc:aescbc:v1:c:/);
  assert.equal(prefixOf('batch', 'jobs'), '{"kind":"Secret","da');
  // The legacy kind is accepted too.
  const legacy = parseEncryptionConfig({ apiVersion: 'v1', kind: 'EncryptionConfig', resources: [{ resources: ['secrets'], providers: [{ identity: {} }] }] });
  assert.ok(legacy.transformerFor('', 'secrets'));
  assert.equal(legacy.transformerFor('', 'configmaps'), undefined);
});

test('a malformed config is refused with every problem named', () => {
  const bad = (doc: unknown) => {
    try {
      parseEncryptionConfig(doc);
    } catch (e) {
      return (e as Error).message;
    }
    assert.fail('accepted');
  };
  assert.match(bad({ apiVersion: 'v1', kind: 'Pod' }), /unexpected config type/);
  assert.match(bad({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration' }), /resources: Required value/);
  const msg = bad({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'EncryptionConfiguration',
    resources: [
      { resources: ['Secrets'], providers: [{ aescbc: { keys: [{ name: 'k', secret: Buffer.alloc(10).toString('base64') }] } }] },
      { resources: ['*.*'], providers: [{ aescbc: {}, identity: {} }] },
      { resources: ['configmaps'], providers: [{ secretbox: { keys: [{ name: 'k', secret: 'not base64!' }] } }, { kms: { name: 'x' } }] },
    ],
  });
  assert.match(msg, /resources\[0\]\.resources\[0\]: Invalid value: "Secrets": resource name must be lowercase/);
  assert.match(msg, /resources\[0\]\.providers\[0\]\.aescbc\.keys\[0\]\.secret: Invalid value: "REDACTED": secret is not of the expected length, got 10, expected one of \[16 24 32\]/);
  assert.match(msg, /resources\[1\]\.providers\[0\]: Invalid value: more than one provider/);
  assert.match(msg, /resources\[2\]\.resources\[0\]: Invalid value: "configmaps": resource "configmaps" is masked by earlier rule "\*\.\*"/);
  assert.match(msg, /resources\[2\]\.providers\[0\]\.secretbox\.keys\[0\]\.secret: Invalid value: "REDACTED": secrets must be base64 encoded/);
  assert.match(msg, /resources\[2\]\.providers\[1\]\.kms: Unsupported value/);
});

test('storage keys map to their resource: plain, group-qualified, core preferred', () => {
  const kinds = [
    { group: '', resource: 'secrets' },
    { group: '', resource: 'events' },
    { group: 'events.k8s.io', resource: 'events' },
    { group: 'apps', resource: 'deployments' },
  ];
  const resolve = keyResolver('/registry', () => kinds);
  assert.deepEqual(resolve('/registry/secrets/default/s1'), { group: '', resource: 'secrets' });
  assert.deepEqual(resolve('/registry/events/default/e1'), { group: '', resource: 'events' });
  assert.deepEqual(resolve('/registry/events.k8s.io/events/default/e1'), { group: 'events.k8s.io', resource: 'events' });
  assert.deepEqual(resolve('/registry/deployments/default/d'), { group: 'apps', resource: 'deployments' });
  // Upstream's own names for some resources (SpecialDefaultResourcePrefixes).
  assert.deepEqual(resolve('/registry/minions/node-1'), { group: '', resource: 'nodes' });
  assert.deepEqual(resolve('/registry/services/specs/default/kubernetes'), { group: '', resource: 'services' });
  assert.deepEqual(resolve('/registry/services/endpoints/default/kubernetes'), { group: '', resource: 'endpoints' });
  assert.deepEqual(resolve('/registry/controllers/default/rc'), { group: '', resource: 'replicationcontrollers' });
  assert.deepEqual(resolve('/registry/ingress/default/web'), { group: 'networking.k8s.io', resource: 'ingresses' });
  assert.equal(resolve('/registry/ranges/serviceips/10.0.0.1'), undefined);
  assert.equal(resolve('/other/secrets/x'), undefined);
});
