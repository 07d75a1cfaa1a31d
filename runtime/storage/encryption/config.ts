/**
 * `--encryption-provider-config`: reads an apiserver.config.k8s.io/v1 EncryptionConfiguration (or the legacy
 * `kind: EncryptionConfig`, `apiVersion: v1`) and builds one transformer per configured resource. Every problem in the
 * file is reported at once, with its field path, so a bad config stops the server at start-up with a useful message.
 *
 * Resources are named as upstream: `secrets` (core group), `deployments.apps`, `*.apps` (every resource of a group),
 * `*.` (every core resource), `*.*` (everything). Lookup order: the exact name, then the group's wildcard, then
 * `*.*`; a resource matched by none is stored as plaintext (and refuses to read encrypted data).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  aescbcTransformer,
  aesgcmTransformer,
  identityTransformer,
  prefixTransformers,
  secretboxTransformer,
  type PrefixTransformer,
  type Transformer,
} from './transformers.ts';

export interface EncryptionConfig {
  /** The transformer for a group resource, or undefined when the config does not cover it. */
  transformerFor(group: string, resource: string): Transformer | undefined;
  /** The configured resource names, in file order (for logs). */
  readonly resources: readonly string[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads and validates the file; throws one Error listing every problem. */
export function loadEncryptionConfig(path: string): EncryptionConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`error opening encryption provider configuration file "${path}": ${(e as Error).message}`);
  }
  if (!text.trim()) throw new Error(`encryption provider configuration file "${path}" is empty`);
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new Error(`error while parsing encryption provider configuration file "${path}": ${(e as Error).message}`);
  }
  try {
    return parseEncryptionConfig(doc);
  } catch (e) {
    throw new Error(`error while parsing encryption provider configuration file "${path}": ${(e as Error).message}`);
  }
}

const providerKinds = ['aesgcm', 'aescbc', 'secretbox', 'identity', 'kms'] as const;

/** Validates a decoded config and builds its transformers. */
export function parseEncryptionConfig(doc: unknown): EncryptionConfig {
  const errors: string[] = [];
  if (!isObject(doc)) throw new Error('the file does not hold an EncryptionConfiguration object');
  const gvk = `${doc.apiVersion ?? ''}, Kind=${doc.kind ?? ''}`;
  const modern = doc.apiVersion === 'apiserver.config.k8s.io/v1' && doc.kind === 'EncryptionConfiguration';
  const legacy = doc.apiVersion === 'v1' && doc.kind === 'EncryptionConfig';
  if (!modern && !legacy) throw new Error(`got unexpected config type: ${gvk} (want apiVersion apiserver.config.k8s.io/v1, kind EncryptionConfiguration)`);

  const rules = doc.resources;
  if (!Array.isArray(rules) || rules.length === 0) {
    throw new Error('resources: Required value: EncryptionConfiguration.Resources must contain at least one resource');
  }
  const byResource = new Map<string, Transformer>();
  const order: string[] = [];
  const seen = new Map<string, string>(); // resource -> field path where it was first named
  rules.forEach((rule, i) => {
    const at = `resources[${i}]`;
    if (!isObject(rule)) {
      errors.push(`${at}: Invalid value: must be an object with resources and providers`);
      return;
    }
    const names = rule.resources;
    if (!Array.isArray(names) || names.length === 0) {
      errors.push(`${at}.resources: Required value: EncryptionConfiguration.Resources[].Resources must contain at least one resource`);
    }
    const providers = rule.providers;
    let transformer: Transformer | undefined;
    if (!Array.isArray(providers) || providers.length === 0) {
      errors.push(`${at}.providers: Required value: EncryptionConfiguration.Resources[].Providers must contain at least one provider`);
    } else {
      const list: PrefixTransformer[] = [];
      providers.forEach((p, j) => {
        const pt = buildProvider(p, `${at}.providers[${j}]`, errors);
        if (pt) list.push(pt);
      });
      if (list.length === providers.length) transformer = prefixTransformers('no matching prefix found', list);
    }
    for (const [k, raw] of (Array.isArray(names) ? names : []).entries()) {
      const field = `${at}.resources[${k}]`;
      if (typeof raw !== 'string' || raw === '') {
        errors.push(`${field}: Required value: resource name must be a non-empty string`);
        continue;
      }
      const problem = resourceNameProblem(raw);
      if (problem) {
        errors.push(`${field}: Invalid value: "${raw}": ${problem}`);
        continue;
      }
      const name = normalize(raw);
      const masking = maskedBy(name, seen);
      if (seen.has(name)) errors.push(`${field}: Duplicate value: "${raw}" (already named at ${seen.get(name)})`);
      else if (masking) errors.push(`${field}: Invalid value: "${raw}": resource "${raw}" is masked by earlier rule "${masking}"`);
      else seen.set(name, field);
      if (transformer && !byResource.has(name)) {
        byResource.set(name, transformer);
        order.push(raw);
      }
    }
  });
  if (errors.length) throw new Error(errors.join('; '));

  return {
    resources: order,
    transformerFor(group, resource) {
      return byResource.get(group ? `${resource}.${group}` : resource) ?? byResource.get(`*.${group}`) ?? byResource.get('*.*');
    },
  };
}

/** `secrets.` and `secrets` both name the core group's secrets. */
function normalize(name: string): string {
  return name.endsWith('.') && name !== '*.' ? name.slice(0, -1) : name;
}

function resourceNameProblem(name: string): string | undefined {
  if (name !== name.toLowerCase()) return 'resource name must be lowercase';
  if (name.includes('/')) return 'resource name must not name a subresource';
  if (name === '*') return 'use "*.*" for every resource, or "*.<group>" for every resource of a group';
  const dot = name.indexOf('.');
  const resource = dot < 0 ? name : name.slice(0, dot);
  const group = dot < 0 ? '' : name.slice(dot + 1);
  if (group.includes('*')) return group === '*' && resource === '*' ? undefined : 'a group may only be "*" in "*.*"';
  if (resource.includes('*') && resource !== '*') return 'only a whole resource name may be "*"';
  if (!/^[a-z0-9*]([-a-z0-9]*[a-z0-9])?$/.test(resource)) return 'not a valid resource name';
  if (group && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(group)) return 'not a valid group name';
  return undefined;
}

/** An earlier wildcard that already covers `name` (its later entry would never be used). */
function maskedBy(name: string, seen: Map<string, string>): string | undefined {
  if (name !== '*.*' && seen.has('*.*')) return '*.*';
  if (name.startsWith('*.')) return undefined;
  const dot = name.indexOf('.');
  const group = dot < 0 ? '' : name.slice(dot + 1);
  const wildcard = `*.${group}`;
  return seen.has(wildcard) ? wildcard : undefined;
}

function buildProvider(p: unknown, at: string, errors: string[]): PrefixTransformer | undefined {
  if (!isObject(p)) {
    errors.push(`${at}: Invalid value: must be an object naming one provider`);
    return undefined;
  }
  const kinds = providerKinds.filter((k) => k in p);
  const unknown = Object.keys(p).filter((k) => !(providerKinds as readonly string[]).includes(k));
  if (unknown.length) errors.push(`${at}: Invalid value: unknown provider field(s) ${unknown.map((k) => `"${k}"`).join(', ')} (expected one of aesgcm, aescbc, secretbox, identity, kms)`);
  if (kinds.length === 0) {
    errors.push(`${at}: Invalid value: provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity`);
    return undefined;
  }
  if (kinds.length > 1) {
    errors.push(`${at}: Invalid value: more than one provider specified in a single element, should split into different list elements`);
    return undefined;
  }
  const kind = kinds[0];
  if (kind === 'identity') return { prefix: new Uint8Array(0), transformer: identityTransformer };
  if (kind === 'kms') {
    errors.push(`${at}.kms: Unsupported value: KMS providers are not supported by this server (use aescbc, aesgcm or secretbox)`);
    return undefined;
  }
  const body = p[kind];
  const keys = isObject(body) ? body.keys : undefined;
  if (!Array.isArray(keys) || keys.length === 0) {
    errors.push(`${at}.${kind}.keys: Required value: keys must contain at least one key`);
    return undefined;
  }
  const sizes = kind === 'secretbox' ? [32] : [16, 24, 32];
  const names = new Set<string>();
  const list: PrefixTransformer[] = [];
  keys.forEach((k, i) => {
    const kat = `${at}.${kind}.keys[${i}]`;
    if (!isObject(k)) {
      errors.push(`${kat}: Invalid value: must be an object with name and secret`);
      return;
    }
    const name = k.name;
    if (typeof name !== 'string' || name === '') {
      errors.push(`${kat}.name: Required value: key name is required`);
      return;
    }
    if (name.includes(':')) errors.push(`${kat}.name: Invalid value: "${name}": key name must not contain ":"`);
    if (names.has(name)) errors.push(`${kat}.name: Duplicate value: "${name}"`);
    names.add(name);
    const secret = k.secret;
    if (typeof secret !== 'string' || secret === '') {
      errors.push(`${kat}.secret: Required value: key ${name} has no provided secret`);
      return;
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(secret) || secret.length % 4 !== 0) {
      errors.push(`${kat}.secret: Invalid value: "REDACTED": secrets must be base64 encoded`);
      return;
    }
    const bytes = Buffer.from(secret, 'base64');
    if (!sizes.includes(bytes.length)) {
      errors.push(`${kat}.secret: Invalid value: "REDACTED": secret is not of the expected length, got ${bytes.length}, expected one of [${sizes.join(' ')}]`);
      return;
    }
    const transformer = kind === 'aescbc' ? aescbcTransformer(bytes, name) : kind === 'aesgcm' ? aesgcmTransformer(bytes, name) : secretboxTransformer(bytes, name);
    list.push({ prefix: Buffer.from(`${name}:`), transformer });
  });
  if (list.length !== keys.length) return undefined;
  const noMatch = `no matching key was found for the provided ${kind === 'secretbox' ? 'Secretbox' : 'AES'} transformer`;
  return { prefix: Buffer.from(`k8s:enc:${kind}:v1:`), transformer: prefixTransformers(noMatch, list) };
}
