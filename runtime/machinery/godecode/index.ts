/**
 * Bodies a built-in kind's Go types cannot take, refused as kube-apiserver refuses them (its JSON/YAML serializer,
 * then handlers/rest.go's transformDecodeError): 400 `<Kind> in version "<v>" cannot be handled as a <Kind>: json:
 * cannot unmarshal ...`, or, when not even apiVersion and kind can be read, `the object provided is unrecognized
 * (must be of type <Kind>): couldn't get version/kind; json parse error: ...`. Custom resources are decoded as
 * unstructured upstream, only their metadata into ObjectMeta; the rest is left to their schema validation (422).
 */
import { goStructs } from '../../../generated/gotypes.ts';
import { goJsonSyntaxError, repeatsMembers, type Json } from '../gojson.ts';
import { goStrictDecode } from './strict.ts';
import { goOrdered } from '../json-value.ts';
import { legacyInternalType, legacySchemeHasGroupVersion, legacySchemeKnows, legacySchemeName, legacyVersionedType } from '../legacy-scheme.ts';
import type { KindRegistration } from '../registration.ts';
import * as status from '../status.ts';
import { compileGoType, goJsonDecodeErrorOf, type GoNode, type NumberLiterals } from './json.ts';
import { parseWithLiterals } from './literals.ts';
import { allFloats, fromUnstructuredError, preserveInts } from './unstructured.ts';

export { goStructs };

/** The anonymous struct upstream's SimpleMetaFactory reads apiVersion and kind with, as reflection prints it. */
const findKindType = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** handlers/rest.go summarizeData: the body's first 30 bytes, as text for an object, else in hex. */
function summarize(raw: Uint8Array): string {
  if (!raw.length) return '<empty>';
  const head = Buffer.from(raw.subarray(0, 30));
  const text = raw[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return raw.length > 30 ? `${text} ...` : text;
}

function unrecognized(kind: KindRegistration, detail: string, raw: Uint8Array): status.StatusError {
  return status.badRequest(`the object provided is unrecognized (must be of type ${kind.kind}): ${detail} (${summarize(raw)})`);
}

/**
 * SimpleMetaFactory.Interpret: apiVersion and kind read with Go's standard (case-insensitive) decoder, then the
 * group version parsed. Returns what goes wrong, if anything. Every create and update body passes here: the keys are
 * walked without an array of pairs per body, and only a key as long as `kind` or `apiVersion` is lowercased
 * (lowercasing never shortens a string, and a key it lengthens is not ASCII, so it cannot match): 2.2-2.8 µs to
 * 0.25-0.4 µs per ConfigMap body (node 20, one process, the two alternated).
 */
function interpretError(body: unknown): string | undefined {
  if (body === null) return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) return interpretUnmarshalError(Array.isArray(body) ? 'array' : typeof body === 'boolean' ? 'bool' : typeof body);
  const obj = body as Record<string, unknown>;
  let apiVersion = '';
  for (const k of Object.keys(obj)) {
    const field = typeMetaField(k);
    const v = obj[k];
    if (!field || v === null) continue;
    if (typeof v !== 'string') return interpretUnmarshalError(Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v, field);
    if (field === 'apiVersion') apiVersion = v;
  }
  // More than one slash: not a group version.
  if (apiVersion !== '/' && apiVersion.indexOf('/') !== apiVersion.lastIndexOf('/')) return `unexpected GroupVersion string: ${apiVersion}`;
  return undefined;
}

/** The TypeMeta field Go's case-insensitive decoder fills from the key `k`, if any. */
function typeMetaField(k: string): 'apiVersion' | 'kind' | undefined {
  if (k.length !== 4 && k.length !== 10) return undefined;
  const lower = k.toLowerCase();
  return lower === 'apiversion' ? 'apiVersion' : lower === 'kind' ? 'kind' : undefined;
}

/** Interpret's error for a `value` Go could not read into TypeMeta (`field`: the member it was under). */
function interpretUnmarshalError(value: string, field?: string): string {
  return `couldn't get version/kind; json parse error: json: cannot unmarshal ${value} into Go ${field ? `struct field .${field} of type string` : `value of type ${findKindType}`}`;
}

function apiVersionOf(kind: KindRegistration): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

/** A JSON body as Go reads it: Go's syntax errors, and the literals of numbers the parsed value does not say. */
export function parseGoJsonBody(kind: KindRegistration, text: string, raw: Uint8Array): { value: unknown; literals?: NumberLiterals } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unrecognized(kind, `couldn't get version/kind; json parse error: ${goJsonSyntaxError(text) ?? 'invalid JSON'}`, raw);
  }
  const exact = parseWithLiterals(text);
  return exact ? { value: exact.value, literals: exact.literals } : { value };
}

/**
 * A custom resource body must name its kind: upstream decodes it as unstructured, which takes the kind from the body
 * alone, never from the URL. Under field validation (Warn, the default, or Strict) the strict serializer reads the
 * object into a map and then finds no kind, an error naming the body as sent and no kind of its own; under Ignore
 * the unstructured scheme finds none while decoding the JSON value, and transformDecodeError names the kind and
 * version the serializer defaulted from the URL.
 */
function missingKindError(kind: KindRegistration, body: unknown, raw: Uint8Array, opts: DecodeOptions): status.StatusError | undefined {
  const obj = (body ?? {}) as Record<string, unknown>;
  if (typeof obj.kind === 'string' && obj.kind !== '') return undefined;
  const text = new TextDecoder().decode(raw);
  if (opts.strict ?? true) return unrecognized(kind, `Object 'Kind' is missing in '${text}'`, raw);
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  const [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  // gvkWithDefaults: the URL's version when the body names none of its own group.
  const defaulted = version || (group === '' || group === kind.group ? kind.version : '');
  // What Go's decoder hands the unstructured scheme: the JSON value's own bytes (a YAML body converted to JSON first).
  // A YAML body's JSON as yaml.YAMLToJSON writes it: keys sorted.
  const value = opts.yaml ? JSON.stringify(goOrdered(body ?? null)) : text.trim();
  return status.badRequest(`${kind.kind} in version "${defaulted}" cannot be handled as a ${kind.kind}: Object 'Kind' is missing in '${value}'`);
}

/** How a body was sent: its number literals (JSON), whether it was YAML, whether field validation is on. */
export interface DecodeOptions {
  literals?: NumberLiterals;
  yaml?: boolean;
  /** Field validation Warn (the default) or Strict: upstream decodes with its strict serializer. */
  strict?: boolean;
}

/**
 * Refuses a create or update body the kind's Go types cannot take, with upstream's 400. `raw` is the body as sent
 * (for the summary of an unreadable one). Bodies of another kind or version are left to the checks after decoding.
 */
export function checkDecodable(kind: KindRegistration, body: unknown, raw: Uint8Array, opts: DecodeOptions = {}): void {
  const interpret = interpretError(body);
  if (interpret) throw unrecognized(kind, interpret, raw);
  if (!kind.builtIn) {
    const missing = missingKindError(kind, body, raw, opts);
    if (missing) throw missing;
    if (body === null) return;
    const err = customResourceMetadataError(body, opts.literals) ?? kind.decodeError?.(body);
    if (err) throw status.badRequest(`${kind.kind} in version "${kind.version}" cannot be handled as a ${kind.kind}: ${err}`);
    return;
  }
  if (body === null) return;
  const obj = body as Record<string, unknown>;
  if (!isOfUrlKind(kind, obj)) {
    const unknownKind = unregisteredKindError(kind, obj);
    if (unknownKind) throw status.badRequest(unknownKind);
    // Another known kind: read into its own type, then converted (the version check follows in the handler).
    const foreign = otherKindDecodeError(kind, obj, opts.literals) ?? unconvertibleKindError(kind, obj);
    if (foreign) throw status.badRequest(foreign);
  }
  if ((obj.kind !== undefined && obj.kind !== kind.kind) || (obj.apiVersion !== undefined && obj.apiVersion !== apiVersionOf(kind))) return;
  const root = compiledRoot(kind);
  if (!root) return;
  const err = goJsonDecodeErrorOf(root, body, opts.literals) ?? kind.decodeError?.(body);
  if (err) throw status.badRequest(`${kind.kind} in version "${kind.version}" cannot be handled as a ${kind.kind}: ${err}`);
}

/** The group, version and kind a body decodes as: its own, each defaulted from the URL's (gvkWithDefaults). */
interface BodyKind {
  group: string;
  version: string;
  kind: string;
  /** `group/version`, or the version alone for the core group. */
  groupVersion: string;
}

/**
 * What upstream's decoder takes a built-in kind's body for, or undefined where it does not get that far: an
 * apiVersion that is not a group version, or one without a version (the decoder's other errors, answered
 * elsewhere), or a URL outside kube-apiserver's scheme (the apiextensions and aggregator servers' own kinds).
 */
function bodyKindOf(kind: KindRegistration, obj: Record<string, unknown>): BodyKind | undefined {
  if (!legacySchemeHasGroupVersion(apiVersionOf(kind))) return undefined;
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const bodyKind = typeof obj.kind === 'string' && obj.kind !== '' ? obj.kind : kind.kind;
  const parts = apiVersion.split('/');
  if (parts.length > 2) return undefined;
  let [group, version] = parts.length === 2 ? parts : ['', parts[0]];
  if (version === '' && (group === '' || group === kind.group)) [group, version] = [kind.group, kind.version];
  if (version === '') return undefined;
  return { group, version, kind: bodyKind, groupVersion: group ? `${group}/${version}` : version };
}

/**
 * Whether a body is of the URL's kind as it stands (apiVersion and kind each the URL's, or empty, or not a string,
 * which bodyKindOf defaults from the URL's), so the checks of another kind have nothing to say: most bodies are, and
 * each check would otherwise parse the body's group version again.
 */
function isOfUrlKind(kind: KindRegistration, obj: Record<string, unknown>): boolean {
  const v = obj.apiVersion;
  const k = obj.kind;
  return (typeof v !== 'string' || v === '' || v === apiVersionOf(kind)) && (typeof k !== 'string' || k === '' || k === kind.kind);
}

function isUrlKind(kind: KindRegistration, body: BodyKind): boolean {
  return body.groupVersion === apiVersionOf(kind) && body.kind === kind.kind;
}

/**
 * The decoder's refusal of a body naming a kind its scheme does not know (upstream's UseOrCreateObject): the body's
 * apiVersion and kind, each defaulted from the URL's where the body leaves it out, must be a kind of
 * kube-apiserver's scheme, served or not; the message names the body's kind and version, then the scheme's error.
 */
export function unregisteredKindError(kind: KindRegistration, obj: Record<string, unknown>): string | undefined {
  const body = bodyKindOf(kind, obj);
  if (!body || isUrlKind(kind, body) || legacySchemeKnows(body.groupVersion, body.kind)) return undefined;
  return `${body.kind} in version "${body.version}" cannot be handled as a ${kind.kind}: no kind "${body.kind}" is registered for version "${body.groupVersion}" in scheme "${legacySchemeName}"`;
}

/**
 * A known kind other than the URL's decodes into its own Go type, which the handler's decoder then converts to
 * the URL kind's internal type (versioning codec, scheme.Convert): only another version of the same kind converts
 * (and is refused afterwards for its version); any other kind (a ReplicaSet sent to deployments, a ConfigMap to a
 * secret) has no conversion, upstream's 400 `converting (v1.ReplicaSet) to (apps.Deployment): unknown conversion`.
 */
export function unconvertibleKindError(kind: KindRegistration, obj: Record<string, unknown>): string | undefined {
  const body = bodyKindOf(kind, obj);
  if (!body || isUrlKind(kind, body) || !legacySchemeKnows(body.groupVersion, body.kind)) return undefined;
  const target = legacyInternalType(kind.group, kind.kind);
  if (legacyInternalType(body.group, body.kind) === target) return undefined;
  const source = legacyVersionedType(body.version, body.kind);
  return `${body.kind} in version "${body.version}" cannot be handled as a ${kind.kind}: converting (${source}) to (${target}): unknown conversion`;
}

/**
 * The Go decoding error of a body of another known kind, read into that kind's own type where this server has it
 * (another served kind: a ReplicaSet's `spec: 5` fails before any conversion), named as handlers/rest.go names it.
 */
function otherKindDecodeError(kind: KindRegistration, obj: Record<string, unknown>, literals?: NumberLiterals): string | undefined {
  const body = bodyKindOf(kind, obj);
  if (!body || isUrlKind(kind, body)) return undefined;
  const root = roots.get(`${body.group}/${body.version}/${body.kind}`);
  const err = root && goJsonDecodeErrorOf(root, obj, literals);
  return err ? `${body.kind} in version "${body.version}" cannot be handled as a ${kind.kind}: ${err}` : undefined;
}

/**
 * The kind and version a decoded body is reported as (transformDecodeError names them): a built-in kind's body
 * defaulted from the URL's, a custom resource's as it says (the unstructured decoder takes nothing from the URL).
 */
export function decodedAs(kind: KindRegistration, obj: Record<string, unknown>): { kind: string; version: string } {
  if (kind.builtIn) {
    const body = bodyKindOf(kind, obj);
    return body ? { kind: body.kind, version: body.version } : { kind: kind.kind, version: kind.version };
  }
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  return { kind: typeof obj.kind === 'string' ? obj.kind : kind.kind, version: apiVersion.slice(apiVersion.indexOf('/') + 1) };
}

/**
 * A JSON body that repeats a member of some object (undefined when none does, the common case, whose unknown fields
 * pruning finds in document order): its strict decoding errors and, for a built-in kind, the value Go decodes
 * (a repeated struct field merged into its first occurrence). A built-in kind's errors are all of them, unknown
 * fields and repeated ones, in the order Go's decoder meets them (`complete`); a custom resource's decoder reads a
 * map, so finds only the repeated ones, which come before the fields its schema prunes.
 */
export function repeatedFields(kind: KindRegistration, text: string, value: unknown): { errors: string[]; complete: boolean; value?: unknown } | undefined {
  if (!repeatsMembers(text, value as Json)) return undefined;
  const root = compiledRoot(kind);
  const decoded = goStrictDecode(text, root);
  return root ? { errors: decoded.errors, complete: true, value: decoded.value } : { errors: decoded.errors, complete: false };
}

/** Every struct compiled for walking, once, when the server starts (a couple of milliseconds). */
const roots = new Map<string, GoNode>(Object.keys(goStructs).map((key) => [key, compileGoType(goStructs, ['struct', '', key])]));

/** ObjectMeta as the root of a decode, named as Go's reflection names it (`Go value of type v1.ObjectMeta`). */
const objectMetaRoot = compileGoType(goStructs, ['struct', 'v1.ObjectMeta', 'meta/v1/ObjectMeta']);

/**
 * A custom resource is unstructured upstream, but the metadata of every body it decodes is read into ObjectMeta
 * (apiextensions' objectmeta.GetObjectMetaWithOptions, which a request does not let drop fields): what that type
 * cannot take (`labels: 5`, a time that does not parse) is the decoder's error.
 */
function customResourceMetadataError(body: unknown, literals?: NumberLiterals): string | undefined {
  if (typeof body !== 'object' || body === null || !('metadata' in body)) return undefined;
  return objectMetaDecodeError((body as { metadata: unknown }).metadata, literals);
}

/** What Go's JSON decoder says reading `meta` into a metav1.ObjectMeta (a bad time, `labels: 5`), if anything. */
export function objectMetaDecodeError(meta: unknown, literals?: NumberLiterals): string | undefined {
  return goJsonDecodeErrorOf(objectMetaRoot, meta, literals);
}

/** The kind's Go type compiled for walking; undefined for kinds without Go types (custom resources). */
function compiledRoot(kind: KindRegistration): GoNode | undefined {
  const key = rootOf(kind);
  return key === undefined ? undefined : roots.get(key);
}

function rootOf(kind: KindRegistration): string | undefined {
  const root = `${kind.group}/${kind.version}/${kind.kind}`;
  return kind.builtIn && goStructs[root] ? root : undefined;
}

/**
 * What goes wrong turning a patched object into the kind's Go types: a JSON or merge patch's result is decoded
 * from JSON, a strategic merge patch's is converted from its map (upstream's handlers/patch.go). Undefined if
 * nothing does.
 */
export function patchedObjectError(kind: KindRegistration, obj: unknown, strategic: boolean): string | undefined {
  const root = rootOf(kind);
  // A custom resource's patched JSON goes through its decoder again: its metadata, then its embedded resources'.
  if (!root) return kind.builtIn ? undefined : (customResourceMetadataError(obj) ?? kind.decodeError?.(obj));
  // A strategic merge patch's result is converted to the internal version apart, after this (conversionError).
  return strategic ? fromUnstructuredError(goStructs, root, obj, preserveInts) : (goJsonDecodeErrorOf(compiledRoot(kind)!, obj) ?? kind.decodeError?.(obj));
}

/**
 * Server-side apply's result converted to the kind's Go types, then to the internal version (upstream's
 * structuredMergeManager.Apply: toVersioned, then toUnversioned, whose conversion reads a kind's round-trip
 * annotations). Its errors are plain Go errors, no APIStatus: a 500 with no reason and their text alone. `config` is
 * the applied configuration, which the message names.
 */
export function checkAppliedObject(kind: KindRegistration, obj: unknown, config: { metadata?: { namespace?: unknown; name?: unknown } }): void {
  const root = rootOf(kind);
  if (!root) return;
  const gvk = `${kind.group}/${kind.version}, Kind=${kind.kind}`;
  const nn = `${String(config.metadata?.namespace ?? '')}/${String(config.metadata?.name ?? '')}`;
  const err = fromUnstructuredError(goStructs, root, obj, allFloats);
  if (err) throw status.failure(500, undefined, `failed to convert new object (${nn}; ${gvk}) to proper version: unable to convert unstructured object to ${gvk}: ${err}`);
  const conversion = kind.decodeError?.(obj);
  if (conversion) throw status.failure(500, undefined, `failed to convert to unversioned (${nn}; ${gvk}): ${conversion}`);
}
