/**
 * Field management on the write path: the registry store calls `trackCreate` / `trackUpdate` on every write so
 * `metadata.managedFields` says who set what, and the PATCH handler sends `application/apply-patch+yaml` to
 * `apply.ts`. A field manager is built once per kind and endpoint and cached; type converters are cached by the
 * TypeSource (one per published schema).
 */
import { goShapes } from '../machinery/goshape.ts';
import type { KindRegistration } from '../machinery/registration.ts';
import type { Scheme } from '../machinery/scheme.ts';
import type { RequestContext } from '../registry/store.ts';
import { statusKeptMetadata } from '../registry/status-strategy.ts';
import type { Strategy } from '../registry/strategy.ts';
import type { StoredObject } from '../storage/store.ts';
import * as status from '../machinery/status.ts';
import { FieldManager } from './field-manager.ts';
import { decodeManagedFields, managedFieldsShapeError, type ManagedFieldsEntry } from './managed-fields.ts';
import { fieldSetCodec } from './field-manager.ts';
import { FieldSet, fieldElement } from './smd/index.ts';
import { TypeSource } from './type-source.ts';
import { kindVersionConverter } from './version-converter.ts';

let types: TypeSource | undefined;
let kinds: Scheme | undefined;

/** Makes the Scheme's published schemas the structure field management works with (once, at start). */
export function useScheme(scheme: Scheme): void {
  types = new TypeSource(scheme);
  kinds = scheme;
}

/** The manager of the server's own writes (controllers, start-up hooks), which name none. */
export const serverManager = 'kube-apiserver';

const statusSet = FieldSet.fromPaths([[fieldElement('status')]]);

/** `.status` for kinds with a status subresource (their main strategies keep the stored status). */
function mainResetFields(kind: KindRegistration): () => FieldSet | undefined {
  return kind.subresources.status ? () => statusSet : () => undefined;
}

/** Everything but `.status` (and identity) for writes through /status, and the metadata the kind keeps there. */
function statusResetFields(kind: KindRegistration): (live: StoredObject, obj: StoredObject) => FieldSet {
  const keptMetadata = statusKeptMetadata(kind);
  return (live, obj) => {
    const paths = [];
    for (const k of new Set([...Object.keys(live), ...Object.keys(obj)])) {
      if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') paths.push([fieldElement(k)]);
    }
    for (const m of keptMetadata) paths.push([fieldElement('metadata'), fieldElement(m)]);
    return FieldSet.fromPaths(paths);
  };
}

const managers = new WeakMap<KindRegistration, Map<string, FieldManager>>();

/**
 * The field manager of `kind` at `subresource` ('' for the resource), or undefined before useScheme. `status`
 * is the strategy's own subresource when it serves /status.
 */
export function fieldManagerFor(kind: KindRegistration, subresource: string): FieldManager | undefined {
  const source = types;
  const scheme = kinds;
  if (!source || !scheme) return undefined;
  let byEndpoint = managers.get(kind);
  if (!byEndpoint) managers.set(kind, (byEndpoint = new Map()));
  let fm = byEndpoint.get(subresource);
  if (!fm) {
    const mainReset = mainResetFields(kind);
    fm = new FieldManager({
      group: kind.group,
      version: kind.version,
      kind: kind.kind,
      subresource,
      type: () => source.typeOf(kind),
      resetFields: subresource === 'status' ? statusResetFields(kind) : mainReset,
      converter: kindVersionConverter(kind, scheme, source),
      zeroShape: kind.builtIn ? goShapes.forKind(kind.group ? `${kind.group}/${kind.version}` : kind.version, kind.kind)?.write : undefined,
    });
    byEndpoint.set(subresource, fm);
  }
  return fm;
}

function managerOf(ctx: RequestContext): string {
  return ctx.fieldManager ?? serverManager;
}

function endpoint(strategy: Strategy, subresource?: string): string {
  return subresource ?? strategy.subresource ?? '';
}

/**
 * Built-in kinds decode managedFields into their Go type upstream, so a list of the wrong shape fails the request
 * there with 400; custom resources (unstructured upstream) simply get their entries recomputed.
 */
function checkShape(kind: KindRegistration, obj: StoredObject): void {
  if (!kind.builtIn) return;
  const problem = managedFieldsShapeError(obj.metadata?.managedFields);
  if (problem) throw status.badRequest(`${kind.kind} in version "${kind.version}" cannot be handled as a ${kind.kind}: ${problem}`);
}

/**
 * Called by the store on create, after defaulting and before admission: records the creator's fields. `obj` is in
 * its Go shape already (the store's decodeDefaults), so the field manager reads it without a shaped copy.
 */
export function trackCreate(strategy: Strategy, ctx: RequestContext, obj: StoredObject): void {
  if (ctx.managedFieldsApplied) return;
  checkShape(strategy.kind, obj);
  const fm = fieldManagerFor(strategy.kind, endpoint(strategy));
  if (!fm) return;
  let empty: StoredObject;
  try {
    empty = fm.emptyObject();
  } catch {
    empty = { metadata: {} };
  }
  fm.update(empty, obj, managerOf(ctx), true);
}

/**
 * Called by the store on update and patch, after defaulting and before admission: records what the writer
 * changed. `subresource` is the endpoint when it is not the strategy's own (`scale` writes through the resource).
 * `obj` is in its Go shape already, as on create.
 */
export function trackUpdate(strategy: Strategy, ctx: RequestContext, current: StoredObject, obj: StoredObject, subresource?: string): void {
  if (ctx.managedFieldsApplied) return;
  checkShape(strategy.kind, obj);
  fieldManagerFor(strategy.kind, endpoint(strategy, subresource))?.update(current, obj, managerOf(ctx), true);
}

/** Members counted as present: set to anything but undefined, and at metadata level (depth 1) not skipped. */
function presentMembers(o: Record<string, unknown>, depth: number): number {
  let n = 0;
  for (const k in o) if (o[k] !== undefined && !(depth === 1 && skippedInMetadata(k))) n++;
  return n;
}

/** At metadata level the entries and the resourceVersion are not part of the comparison. */
const skippedInMetadata = (k: string) => k === 'managedFields' || k === 'resourceVersion';

/** Runs on every update that keeps entries: walks both objects without building key lists. */
function equalExceptManagedFields(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalExceptManagedFields(a[i], bb[i], depth + 1)) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k in ao) {
    if (ao[k] === undefined || (depth === 1 && skippedInMetadata(k))) continue;
    if (!(k in bo) || !equalExceptManagedFields(ao[k], bo[k], depth + 1)) return false;
  }
  return presentMembers(ao, depth) === presentMembers(bo, depth);
}

/**
 * An update that changes nothing but managedFields times keeps the stored entries (upstream's
 * IgnoreManagedFieldsTimestampsTransformer), so a no-op update stays a no-op. Mutates `obj`.
 */
export function keepEntriesOfNoopUpdate(obj: StoredObject, current: StoredObject): void {
  const entries = current.metadata?.managedFields;
  if (entries === undefined || !obj.metadata?.managedFields) return;
  if (!equalExceptManagedFields(obj, current, 0)) return;
  if (sameEntriesButTimes(obj.metadata.managedFields, entries)) obj.metadata.managedFields = entries;
}

function sameEntriesButTimes(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  const strip = (e: Record<string, unknown>) => JSON.stringify({ ...e, time: undefined });
  const bs = new Set(b.map((e) => strip(e)));
  return a.every((e) => bs.has(strip(e)));
}

/**
 * After mutating admission: entries a plug-in (a webhook) left in a state the field manager cannot read are put
 * back as they were before admission, with upstream's warning (its managedFields-validating admission wrapper).
 * Mutates `obj`; costs nothing when admission did not touch the entries.
 */
export function keepValidManagedFields(obj: StoredObject, before: unknown, ctx: RequestContext): void {
  const after = obj.metadata?.managedFields;
  if (after === before || after === undefined) return;
  try {
    if (!Array.isArray(after)) throw new Error('managedFields must be a list');
    const shape = managedFieldsShapeError(after);
    if (shape) throw new Error(shape);
    decodeManagedFields(after as ManagedFieldsEntry[], fieldSetCodec);
  } catch (e) {
    if (before === undefined) delete obj.metadata.managedFields;
    else obj.metadata.managedFields = before;
    ctx.warnings?.push(`.metadata.managedFields was in an invalid state after admission; this could be caused by an outdated mutating admission controller; please fix your requests: ${(e as Error).message}`);
  }
}

export { FieldManager } from './field-manager.ts';
