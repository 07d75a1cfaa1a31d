/**
 * The field manager of one kind (in one version) at one endpoint (the resource, `status` or `scale`): keeps
 * `metadata.managedFields` on every write and runs server-side apply. It does in sequence what upstream's chain of
 * managers does (versioncheck, lastapplied updater/manager, skipnonapplied, capmanagers, buildmanagerinfo,
 * managedfieldsupdater, stripmeta, structuredmerge); the structured merge itself is our smd library.
 */
import * as status from '../machinery/status.ts';
import { cloneJson } from '../machinery/json-value.ts';
import { parseApiVersion } from '../machinery/scheme.ts';
import type { StoredObject } from '../storage/store.ts';
import { nowTime } from '../registry/objectmeta.ts';
import { applyConflictError, type ApplyConflict } from './conflict.ts';
import { allowedConflictsFromLastApplied, buildLastApplied, hasLastApplied, kubectlManager, setLastApplied } from './last-applied.ts';
import {
  applyOperation,
  decodeManagedFields,
  emptyManaged,
  encodeManagedFields,
  isResetManagedFields,
  managerIdentifier,
  updateOperation,
  type Managed,
  type ManagedFieldsEntry,
  type SetCodec,
} from './managed-fields.ts';
import { decodeFieldsV1 } from './decoded-sets.ts';
import { Conflicts, FieldSet, apply as smdApply, fieldElement, pathToString, typed, update as smdUpdate, type Conflict, type TypeRef, type VersionConverter } from './smd/index.ts';

/** Upstream's DefaultMaxUpdateManagers: beyond this many Update entries the oldest are folded together. */
export const maxUpdateManagers = 10;
const ancientChangesManager = 'ancient-changes';
const beforeFirstApplyManager = 'before-first-apply';
/** The name the update being recorded goes by until it is merged into its manager's entry. */
const currentOperation = 'current-operation';
/** How many writer identifiers one field manager keeps ready. */
const maxIdentifiers = 256;

export const fieldSetCodec: SetCodec<FieldSet> = {
  decode: decodeFieldsV1,
  encode: (set) => set.toFieldsV1(),
};

const f = fieldElement;
/** Fields nobody owns: identity and server-set metadata (upstream's stripmeta). */
const stripSet = FieldSet.fromPaths([
  [f('apiVersion')],
  [f('kind')],
  [f('metadata')],
  [f('metadata'), f('name')],
  [f('metadata'), f('namespace')],
  [f('metadata'), f('creationTimestamp')],
  [f('metadata'), f('selfLink')],
  [f('metadata'), f('uid')],
  [f('metadata'), f('clusterName')],
  [f('metadata'), f('generation')],
  [f('metadata'), f('managedFields')],
  [f('metadata'), f('resourceVersion')],
]);

export interface FieldManagerConfig {
  group: string;
  version: string;
  kind: string;
  /** '' for the resource itself, else `status` or `scale`: recorded in the entries, as upstream. */
  subresource: string;
  /** The kind's structure (thrown errors make updates go untracked and applies fail). */
  type(): TypeRef;
  /**
   * Fields a write through this endpoint cannot change (upstream's ResetFieldsStrategy: `.status` through the
   * resource, everything but `.status` through /status): nobody gets them and they never conflict.
   */
  resetFields(live: StoredObject, obj: StoredObject): FieldSet | undefined;
  /**
   * The kind in the versions other entries were recorded in, so each manager's fields are compared in its own
   * version; absent when the versions cannot be converted here (entries are then read as this version's).
   */
  converter?: VersionConverter;
  /**
   * Gives a new object the fields a Go type's zero value has (`spec: {template: {metadata: {creationTimestamp:
   * null}, ...}}`, `status: {}`), as upstream's `creater.New(kind)` for built-in kinds (their Go shape, mutates);
   * absent for custom resources, which start with only apiVersion and kind.
   */
  zeroShape?: (obj: Obj) => void;
}

type Obj = StoredObject;

function metadataOf(obj: Obj): Record<string, unknown> {
  const m = obj.metadata;
  return m && typeof m === 'object' && !Array.isArray(m) ? m : {};
}

/** `obj` without metadata.managedFields (shallow copies; `obj` is not changed). */
function withoutManagedFields(obj: Obj): Obj {
  const meta = metadataOf(obj);
  if (!('managedFields' in meta)) return obj;
  // Copied member by member: V8 runs an object rest (`{ managedFields, ...rest }`) through a slow generic path.
  const rest: Record<string, unknown> = {};
  for (const k in meta) if (k !== 'managedFields') rest[k] = meta[k];
  return { ...obj, metadata: rest };
}

function gvkString(group: string, version: string, kind: string): string {
  return `${group}/${version}, Kind=${kind}`;
}

function objectGVKNN(obj: Obj, gvk: string): string {
  const m = metadataOf(obj);
  return `${(m.namespace as string) || ''}/${(m.name as string) || ''}; ${gvk}`;
}

export class FieldManager {
  readonly apiVersion: string;
  private readonly gvk: string;

  constructor(private readonly cfg: FieldManagerConfig) {
    this.apiVersion = cfg.group ? `${cfg.group}/${cfg.version}` : cfg.version;
    this.gvk = gvkString(cfg.group, cfg.version, cfg.kind);
  }

  /** What a create starts from (upstream's `creater.New(kind)`), for recording what the creator set. */
  emptyObject(): Obj {
    const obj: Obj = { apiVersion: this.apiVersion, kind: this.cfg.kind, metadata: {} };
    this.cfg.zeroShape?.(obj);
    return obj;
  }

  private decode(entries: unknown): Managed<FieldSet> {
    if (entries === undefined || entries === null) return emptyManaged();
    if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
    return decodeManagedFields(entries as ManagedFieldsEntry[], fieldSetCodec);
  }

  private decodeOrEmpty(entries: unknown): Managed<FieldSet> {
    try {
      return this.decode(entries);
    } catch {
      return emptyManaged();
    }
  }

  /** Identifiers of this endpoint's writers by manager, per operation: a client sends the same name every time. */
  private readonly identifiers = new Map<string, Map<string, string>>();

  private identifier(manager: string, operation: string): string {
    let byManager = this.identifiers.get(operation);
    if (!byManager) this.identifiers.set(operation, (byManager = new Map()));
    let id = byManager.get(manager);
    if (id === undefined) {
      id = managerIdentifier({ manager: manager || 'unknown', operation, apiVersion: this.apiVersion, subresource: this.cfg.subresource });
      // Bounded: the names come from clients (User-Agent, fieldManager), so the map is emptied when full.
      if (byManager.size >= maxIdentifiers) byManager.clear();
      byManager.set(manager, id);
    }
    return id;
  }

  private encodeInto(obj: Obj, managed: Managed<FieldSet>): void {
    const entries = encodeManagedFields(managed, fieldSetCodec);
    obj.metadata ??= {};
    if (entries) obj.metadata.managedFields = entries;
    else delete obj.metadata.managedFields;
  }

  /**
   * Records a create, update or patch by `manager` (upstream's UpdateNoErrors): sets `obj.metadata.managedFields`
   * (mutates `obj`). `live` is the stored object, or an empty one for a create. Never fails the write: when the
   * fields cannot be worked out, the stored entries are kept. `shaped`: `obj` already has the fields its Go type
   * always writes (the store shaped it as it decoded it), so it is read as it is rather than through a shaped copy.
   */
  update(live: Obj, obj: Obj, manager: string, shaped = false): void {
    try {
      const isSubresource = this.cfg.subresource !== '';
      const liveEntries = metadataOf(live).managedFields;
      const sent = metadataOf(obj).managedFields;
      let managed: Managed<FieldSet>;
      if (isSubresource) managed = this.decodeOrEmpty(liveEntries);
      else if (isResetManagedFields(sent)) managed = emptyManaged();
      else {
        // A body without entries (most creates and updates) has nothing to decode, and an empty decoding would be
        // dropped for the stored entries anyway.
        let fromRequest: Managed<FieldSet> | undefined;
        try {
          fromRequest = sent === undefined || sent === null ? undefined : this.decode(sent);
        } catch {
          fromRequest = undefined;
        }
        managed = fromRequest && fromRequest.fields.size > 0 ? fromRequest : this.decodeOrEmpty(liveEntries);
      }
      if (obj.metadata) delete obj.metadata.managedFields;
      // Objects whose entries were cleared stay untracked until the next apply (upstream's skipnonapplied).
      if (managed.fields.size === 0 && metadataOf(live).uid) return;
      this.updateManaged(live, obj, managed, this.identifier(manager, updateOperation), shaped);
      this.encodeInto(obj, managed);
    } catch {
      obj.metadata ??= {};
      const kept = metadataOf(live).managedFields;
      if (kept === undefined) delete obj.metadata.managedFields;
      else obj.metadata.managedFields = kept;
    }
  }

  /**
   * `obj` as upstream's field manager sees it, decoded into the Go type: with the fields Go always writes (an
   * empty `resources: {}` is a field someone owns), so ownership of them is neither taken by a writer that leaves
   * them out nor lost by it. A copy, unless `shaped` says `obj` has that shape already; `obj` itself is shaped by
   * the store before it is stored. (The ownership walk only reads the object.)
   */
  private goShaped(obj: Obj, shaped: boolean): Obj {
    const bare = withoutManagedFields(obj);
    if (!this.cfg.zeroShape || shaped) return bare;
    const copy = cloneJson(bare);
    this.cfg.zeroShape(copy);
    return copy;
  }

  /** The writer of `obj` over `live` takes what it changed (mutates `managed`); cap on Update entries applied. */
  private updateManaged(live: Obj, obj: Obj, managed: Managed<FieldSet>, id: string, shaped = false): void {
    const type = this.cfg.type();
    const liveT = typed(withoutManagedFields(live), type);
    const newT = typed(this.goShaped(obj, shaped), type);
    const result = smdUpdate(liveT, newT, this.apiVersion, managed.fields, currentOperation, { ignored: this.cfg.resetFields(live, obj), converter: this.cfg.converter });
    managed.fields = result.managers;
    this.strip(managed, currentOperation);
    const vs = managed.fields.get(currentOperation);
    if (vs) {
      managed.fields.delete(currentOperation);
      const previous = managed.fields.get(id);
      managed.fields.set(id, previous ? { set: vs.set.union(previous.set), apiVersion: vs.apiVersion, applied: vs.applied } : vs);
      managed.times.set(id, nowTime());
    }
    this.capUpdateManagers(managed);
  }

  private strip(managed: Managed<FieldSet>, id: string): void {
    const vs = managed.fields.get(id);
    if (!vs) return;
    const set = vs.set.difference(stripSet);
    if (set.isEmpty()) managed.fields.delete(id);
    else managed.fields.set(id, { set, apiVersion: vs.apiVersion, applied: vs.applied });
  }

  /** Folds the oldest Update entries into `ancient-changes` (one per API version) beyond the cap. */
  private capUpdateManagers(managed: Managed<FieldSet>): void {
    // Counted first: nearly every write is under the cap and needs no list of them.
    let count = 0;
    for (const vs of managed.fields.values()) if (!vs.applied) count++;
    if (count <= maxUpdateManagers) return;
    const updaters = [...managed.fields].filter(([, vs]) => !vs.applied).map(([id]) => id);
    const seconds = (id: string) => {
      const t = managed.times.get(id);
      return t ? Math.floor(Date.parse(t) / 1000) : 0;
    };
    updaters.sort((a, b) => seconds(a) - seconds(b) || (a < b ? -1 : a > b ? 1 : 0));
    const firstOfVersion = new Map<string, string>();
    let length = updaters.length;
    for (let i = 0; i < updaters.length && length > maxUpdateManagers; i++) {
      const id = updaters[i];
      const vs = managed.fields.get(id)!;
      const time = managed.times.get(id);
      const bucket = managerIdentifier({ manager: ancientChangesManager, operation: updateOperation, apiVersion: vs.apiVersion });
      const first = firstOfVersion.get(vs.apiVersion);
      if (first === undefined) {
        firstOfVersion.set(vs.apiVersion, id);
        continue;
      }
      if (!managed.fields.has(bucket)) {
        const s = managed.fields.get(first)!;
        managed.fields.delete(first);
        managed.fields.set(bucket, s);
      }
      managed.fields.set(bucket, { set: vs.set.union(managed.fields.get(bucket)!.set), apiVersion: vs.apiVersion, applied: vs.applied });
      managed.fields.delete(id);
      length--;
      managed.times.set(bucket, time);
    }
  }

  /**
   * Server-side apply of `config` by `manager` over `live` (an empty object when creating): returns the object to
   * store, with its managedFields. Throws a StatusError: 400 for a configuration of another kind or one carrying
   * managedFields, 409 with the conflicts unless `force`, 500 when a value does not fit the schema (as upstream).
   */
  apply(live: Obj, config: Obj, manager: string, force: boolean): Obj {
    let managed: Managed<FieldSet>;
    try {
      managed = this.decode(metadataOf(live).managedFields);
    } catch (e) {
      throw status.internalError(new Error(`failed to decode managed fields: ${(e as Error).message}`));
    }
    const { group, version } = parseApiVersion(config.apiVersion);
    const kind = typeof config.kind === 'string' ? config.kind : '';
    if (group !== this.cfg.group || version !== this.cfg.version || kind !== this.cfg.kind) {
      throw status.badRequest(`invalid object type: ${gvkString(group, version, kind)}`);
    }
    let result: Obj;
    try {
      result = this.applyManaged(live, config, managed, manager, force);
    } catch (e) {
      if (!(e instanceof Conflicts)) throw e;
      let conflicts: Conflict[] = e.conflicts;
      if (manager === kubectlManager) {
        // Conflicts only on fields client-side apply set to their current values: take them over.
        const allowed = allowedConflictsFromLastApplied(live, this.cfg.type(), this.apiVersion);
        conflicts = conflicts.filter((c) => !allowed.has(c.path));
        if (conflicts.length === 0) result = this.applyManaged(live, config, this.decode(metadataOf(live).managedFields), manager, true);
      }
      if (conflicts.length) throw applyConflictError(conflicts.map((c): ApplyConflict => ({ manager: c.manager, path: pathToString(c.path) })));
    }
    if (manager === kubectlManager && hasLastApplied(result!)) setLastApplied(result!, buildLastApplied(config));
    return result!;
  }

  private applyManaged(liveIn: Obj, config: Obj, managed: Managed<FieldSet>, manager: string, force: boolean): Obj {
    let live = withoutManagedFields(liveIn);
    if (managed.fields.size === 0) {
      // Fields set before anyone applied belong to `before-first-apply`, so an apply cannot silently take them.
      this.updateManaged(this.emptyObject(), live, managed, this.identifier(beforeFirstApplyManager, updateOperation));
    }
    const id = this.identifier(manager, applyOperation);
    const cm = metadataOf(config);
    if (Array.isArray(cm.managedFields)) throw status.badRequest('metadata.managedFields must be nil');
    const type = this.cfg.type();
    const configT = typed(config, type);
    const problems = configT.validate();
    if (problems.length) {
      const message = problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('\n');
      throw status.internalError(new Error(`failed to create typed patch object (${objectGVKNN(config, this.gvk)}): ${message}`));
    }
    const liveT = typed(live, type);
    const out = smdApply(liveT, configT, this.apiVersion, managed.fields, id, force, { ignored: this.cfg.resetFields(liveIn, config), converter: this.cfg.converter });
    managed.fields = out.managers;
    this.strip(managed, id);
    if (out.changed) {
      managed.times.set(id, nowTime());
      live = cloneJson(out.object.value as Obj);
    } else live = cloneJson(live);
    this.encodeInto(live, managed);
    return live;
  }
}
