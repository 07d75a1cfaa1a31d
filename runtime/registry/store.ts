/**
 * The generic registry store: one per served resource, the same code for every kind (upstream's
 * registry/generic/registry.Store). It owns the order of the steps of each verb — decode defaults, strategy,
 * admission, validation, storage — and maps storage errors to Status errors naming the resource. Per-kind rules
 * live in strategies, never here.
 */
import type { AdmissionAttributes, AdmissionChain, Operation } from '../admission/types.ts';
import { apiserverUser, type UserInfo } from '../auth/user.ts';
import { GoValue, invalid, type FieldError } from '../machinery/field-errors.ts';
import type { KindRegistration } from '../machinery/registration.ts';
import { exactFieldValues, transformFieldSelector, type LabelSelector, type FieldSelector } from '../machinery/selectors.ts';
import * as status from '../machinery/status.ts';
import { checkRequestName } from '../machinery/object-identity.ts';
import { isValidPathSegmentName } from '../machinery/string-checks.ts';
import { goQuote } from '../machinery/gofmt.ts';
import { throwIfCancelled, type Cancellation } from '../machinery/cancellation.ts';
import type { EncodedItem, ListResult, ObjectStorage, Preconditions, Predicate, ResourceVersionMatch, StoredObject, Watch, WatchSink } from '../storage/store.ts';
import { StorageError } from '../storage/store.ts';
import { StorageUnavailableError } from '../storage/kv.ts';
import { clearResourceVersionForCreate, fillSystemFields, generateName, needsGeneratedName, wipeSystemFields, withoutResourceVersion } from './objectmeta.ts';
import { goShapes, type GoShape } from '../machinery/goshape.ts';
import { cloneJson, containsNull } from '../machinery/json-value.ts';
import { carrySentQuantities } from '../machinery/quantity.ts';
import { keepEntriesOfNoopUpdate, keepValidManagedFields, trackCreate, trackUpdate } from '../fieldmanager/index.ts';
import type { Finish, Strategy } from './strategy.ts';
import { carryDeletionFields, deleteObject, shouldDeleteDuringUpdate, type DeleteOptions, type DeleteResult, type DeletionHost } from './deletion.ts';
import { spentIn } from '../metrics/layers.ts';
import { rememberSentIdentity } from './sent-identity.ts';

/** What a request contributes to a verb: who asks, where, and how. */
export interface RequestContext {
  user: UserInfo;
  /** The namespace of the request path ('' for cluster-scoped or all-namespaces requests). */
  namespace: string;
  dryRun: boolean;
  /** Where admission puts `Warning` texts for the response (absent: warnings are dropped). */
  warnings?: string[];
  /** Where admission puts audit annotations for the request's audit event. */
  auditAnnotations?: Record<string, string>;
  /** Who managedFields records the write for (`fieldManager`, else the User-Agent's prefix); absent: the server. */
  fieldManager?: string;
  /** Set by server-side apply, which records managedFields itself: the store then records no update on top. */
  managedFieldsApplied?: boolean;
  /**
   * Set when a write is tried again after the store refused it as too large: the object goes without
   * managedFields, which can be much of a big object, and the field manager records nothing.
   */
  dropManagedFields?: boolean;
  /**
   * Set for each item of a deletecollection: admission sees the request's namespace and no name, as upstream's
   * static attributes of the collection request (only the old object tells the items apart).
   */
  collectionRequestNamespace?: string;
  /**
   * The request's cancellation (absent for the server's own calls): once cancelled, no write is started and admission
   * aborts its webhook calls. A write already sent to storage completes, as upstream's etcd client lets it.
   */
  cancellation?: Cancellation;
}

/** The context of the server's own calls (post-start hooks, controllers) in `namespace`. */
export function systemContext(namespace = ''): RequestContext {
  return { user: apiserverUser, namespace, dryRun: false };
}

/** The object, or undefined when it does not exist (or the store is not served); other failures are thrown. */
export async function getIfExists(store: RegistryStore | undefined, ctx: RequestContext, name: string): Promise<StoredObject | undefined> {
  if (!store) return undefined;
  try {
    return await store.get(ctx, name);
  } catch (e) {
    if (e instanceof status.StatusError && e.code === 404) return undefined;
    throw e;
  }
}

export interface GetOptions {
  resourceVersion?: string;
}

export interface ListOptions {
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  limit?: number;
  continue?: string;
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
}

export type { DeleteOptions } from './deletion.ts';

/**
 * How admission sees a write made through another kind's shape (the /scale subresource shows an autoscaling/v1
 * Scale): `toView` builds what admission gets, `fromView` carries a mutating plug-in's changes back. Mutates `obj`.
 */
export interface AdmissionView {
  kind: { group: string; version: string; kind: string };
  toView(obj: StoredObject): StoredObject;
  fromView(view: StoredObject, obj: StoredObject): void;
}

/** Adds a strategy's warnings to the response, once each (a retried update computes them again). */
function addWarnings(ctx: RequestContext, warnings: string[] | undefined): void {
  for (const w of warnings ?? []) if (ctx.warnings && !ctx.warnings.includes(w)) ctx.warnings.push(w);
}

export interface GuaranteedUpdateOptions {
  /** The subresource the request named when it is not this store's own (`scale` writes through the main store). */
  subresource?: string;
  /** Checked by the storage against each attempt's stored object, before the attempt is made. */
  preconditions?: Preconditions;
  admissionView?: AdmissionView;
}

export class RegistryStore {
  readonly kind: KindRegistration;
  private readonly resourceRef: status.ResourceRef;
  /** Go's wire shape of the kind (built-in kinds only): objects are stored in it, so reads need no work. */
  private shapeOf?: { shape: GoShape | undefined };

  constructor(
    readonly strategy: Strategy,
    private readonly storage: ObjectStorage,
    private readonly admission: AdmissionChain,
    /** Key prefix of this resource: `<etcd-prefix>/<resource>` (upstream keeps some kinds under other names). */
    readonly keyPrefix: string,
    /**
     * Whether deletes set the garbage collector's `orphan` / `foregroundDeletion` finalizers (kube-apiserver's
     * --enable-garbage-collector; without a collector nobody would remove them).
     */
    readonly enableGarbageCollection = true,
  ) {
    this.kind = strategy.kind;
    this.resourceRef = { group: this.kind.group, resource: this.kind.resource };
  }

  /** Looked up at the first write, once the generated tables are loaded. */
  private get shape(): GoShape | undefined {
    const k = this.kind;
    this.shapeOf ??= { shape: k.builtIn ? goShapes.forKind(k.group ? `${k.group}/${k.version}` : k.version, k.kind) : undefined };
    return this.shapeOf.shape;
  }

  /**
   * Decodes and defaults a body as Go does: `null`s and the zeros Go cannot tell from unset are unset first (so
   * defaults apply to them), then the fields Go always writes are filled in, so strategies, admission and the
   * field manager see the object as upstream's do (`status: {}`, a template's `creationTimestamp: null`).
   */
  private decodeDefaults(obj: StoredObject): void {
    this.shape?.read(obj);
    this.kind.default(obj);
    this.shape?.write(obj);
  }

  /**
   * What validation sees: a copy without the `null`s Go writes for unset Times, pointers, lists and maps (the
   * schema has no `null`; our validators, like Go's, take unset for nil).
   */
  private forValidation(obj: StoredObject): StoredObject {
    if (!this.shape || !containsNull(obj)) return obj;
    // The copy keeps the quantity texts the client sent (error messages quote them), carried in the copying walk.
    const copy = cloneJson(obj, carrySentQuantities);
    this.shape.dropNulls(copy);
    return copy;
  }

  /** The object as Go would store it, after strategies and admission had their say. */
  private toGoShape(obj: StoredObject): void {
    if (!this.shape) return;
    this.shape.read(obj);
    this.shape.encode(obj);
  }

  /**
   * `<prefix>/<resource>/<namespace>/<name>`, or without the namespace for cluster-scoped kinds. As upstream's
   * NamespaceKeyFunc and NoNamespaceKeyFunc, a key needs a namespace (a namespaced kind's), a name, and a name that
   * is one path segment: `/namespaces//pods/x` or `/pods/a%25b` read no object, they are refused with a 400.
   */
  key(namespace: string, name: string): string {
    if (this.strategy.namespaced && !namespace) throw status.badRequest('Namespace parameter required.');
    checkKeyName(name);
    return this.strategy.namespaced ? `${this.keyPrefix}/${namespace}/${name}` : `${this.keyPrefix}/${name}`;
  }

  /** The prefix a list or watch reads: one namespace, or all of them. */
  listPrefix(namespace: string): string {
    return this.strategy.namespaced && namespace ? `${this.keyPrefix}/${namespace}/` : `${this.keyPrefix}/`;
  }

  /**
   * POST, in upstream's order: the create handler clears the server-owned fields and runs mutating admission, which
   * sees no name yet when one is to be generated (nor a uid or creation time); then each attempt of the store's
   * Create fills those in, generates the name, and prepares, validates and stores the object.
   */
  async create(ctx: RequestContext, body: StoredObject): Promise<StoredObject> {
    const obj = this.prepareIncoming(ctx, body);
    wipeSystemFields(obj.metadata);
    this.decodeDefaults(obj);
    if (!ctx.dropManagedFields) trackCreate(this.strategy, ctx, obj);
    const attrs = this.attributes(ctx, 'CREATE', obj, undefined, { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1', ...dryRunOption(ctx) });
    const entries = obj.metadata.managedFields;
    await this.admission.admit(attrs);
    keepValidManagedFields(obj, entries, ctx);
    if (ctx.dropManagedFields) delete obj.metadata.managedFields;
    if (!needsGeneratedName(obj.metadata)) return this.createAttempt(ctx, obj, attrs);
    // As upstream's RetryGenerateName (GA and locked on in v1.32): a generated name that is taken is given up for
    // another, each attempt starting again from the admitted object.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.createAttempt(ctx, cloneJson(obj, carrySentQuantities), attrs);
      } catch (e) {
        if (attempt >= maxNameGenerationAttempts || !(e instanceof status.StatusError) || e.reason !== 'AlreadyExists') throw e;
      }
    }
  }

  /** One attempt of the store's Create, from the admitted object (`admitted`: the mutating phase's attributes). */
  private async createAttempt(ctx: RequestContext, obj: StoredObject, admitted: AdmissionAttributes): Promise<StoredObject> {
    const meta = fillSystemFields(obj);
    if (needsGeneratedName(meta)) meta.name = generateName(meta.generateName);
    // Validating admission sees this attempt's object, and its name once generated (AdmissionToValidateObjectFunc).
    const attrs: AdmissionAttributes = { ...admitted, object: obj, name: admitted.name || meta.name };
    // As upstream's BeginCreate: what the object takes from outside the store, before it is prepared and validated.
    // Most kinds take nothing, and pay no async frames for it.
    const finish = this.strategy.beginCreate ? await this.run(meta.name, () => this.strategy.beginCreate!(obj, { dryRun: ctx.dryRun })) : undefined;
    let created: StoredObject | undefined;
    try {
      this.strategy.prepareForCreate(obj, ctx.user);
      const validating = performance.now();
      const errors = this.strategy.validate(this.forValidation(obj));
      spentIn('validation', validating);
      this.throwIfInvalid(meta.name ?? '', errors);
      addWarnings(ctx, this.strategy.warningsOnCreate?.(obj));
      await this.admission.validate(attrs);
      this.strategy.canonicalize(obj);
      this.toGoShape(obj);
      const key = this.key(meta.namespace ?? '', meta.name);
      try {
        // A dry run stores nothing, but is refused as a create would be when the name is taken.
        // (A dry run never reaches storage: it answers with the resourceVersion as sent, as upstream's does.)
        if (ctx.dryRun) await this.refuseIfExists(key);
        else {
          throwIfCancelled(ctx.cancellation);
          clearResourceVersionForCreate(meta);
          created = await this.storage.create(key, obj, { ttlSeconds: this.strategy.ttlSeconds(obj), cancellation: ctx.cancellation });
        }
      } catch (e) {
        throw await this.createError(e, key, obj);
      }
      return created ?? obj;
    } finally {
      // A give-back that fails leaves a leak, which repair reclaims; the request's outcome stands.
      if (finish) await finish(created !== undefined).catch(() => undefined);
    }
  }

  /** Throws storage's Exists error when `key` holds an object (the dry-run storage's Create). */
  private async refuseIfExists(key: string): Promise<void> {
    try {
      await this.storage.get(key, {});
    } catch (e) {
      if (e instanceof StorageError && e.code === 'NotFound') return;
      throw e;
    }
    throw new StorageError('Exists', key, 'key exists');
  }

  /**
   * A failed create's Status, as upstream's store words it: a taken name that came with a generateName says the
   * server could not pick a unique one (CheckGeneratedNameError), and a name taken by an object being deleted says so.
   */
  private async createError(e: unknown, key: string, obj: StoredObject): Promise<Error> {
    const name: string = obj.metadata.name;
    if (!(e instanceof StorageError && e.code === 'Exists')) return this.toStatusError(e, name);
    const taken = obj.metadata.generateName ? status.generateNameConflict(this.resourceRef, name) : status.alreadyExists(this.resourceRef, name);
    const existing = await this.storage.get(key, {}).catch(() => undefined);
    if (!existing?.metadata?.deletionTimestamp) return taken;
    return status.failure(409, 'AlreadyExists', `object is being deleted: ${taken.status.message}`, taken.status.details);
  }

  async get(ctx: RequestContext, name: string, opts: GetOptions = {}): Promise<StoredObject> {
    return this.run(name, () => this.storage.get(this.key(ctx.namespace, name), { resourceVersion: opts.resourceVersion, cancellation: ctx.cancellation }));
  }

  /** The object as the watch cache's JSON text, when it holds it in the served version (see ObjectStorage.getEncoded). */
  getEncoded(ctx: RequestContext, name: string, opts: GetOptions = {}): Promise<EncodedItem | undefined> {
    const storage = this.storage;
    if (!storage.getEncoded) return notEncoded;
    // As run() does, in one promise rather than two async frames: this is every consistent GET's path.
    return storage.getEncoded(this.key(ctx.namespace, name), { resourceVersion: opts.resourceVersion }).catch((e: unknown) => {
      throw this.toStatusError(e, name);
    });
  }

  async list(ctx: RequestContext, opts: ListOptions = {}): Promise<ListResult> {
    return this.run('', () =>
      this.storage.list(this.listPrefix(ctx.namespace), {
        resourceVersion: opts.resourceVersion,
        resourceVersionMatch: opts.resourceVersionMatch,
        limit: opts.limit,
        continue: opts.continue,
        predicate: this.predicate(opts),
        cancellation: ctx.cancellation,
      }),
    );
  }

  /** PUT: replaces the object; a resourceVersion in the body makes it a compare-and-swap. */
  async update(ctx: RequestContext, name: string, body: StoredObject): Promise<{ obj: StoredObject; created: boolean }> {
    const incoming = this.prepareIncoming(ctx, body);
    checkRequestName(incoming.metadata, name);
    // A fresh copy per attempt: an attempt strips the resourceVersion, and a retry after a lost compare-and-swap
    // must still compare the one the client sent. The first attempt takes the copy just prepared; the stored object
    // is not copied at all, since a PUT replaces it.
    let prepared: StoredObject | undefined = incoming;
    const attempt = async () => {
      const obj = prepared ?? this.prepareIncoming(ctx, body);
      prepared = undefined;
      return obj;
    };
    // A uid in the body is a storage precondition upstream (DefaultUpdatedObjectInfo).
    const uid: string | undefined = body.metadata?.uid || undefined;
    try {
      return { obj: await this.updateFrom(ctx, name, attempt, uid ? { preconditions: { uid } } : {}), created: false };
    } catch (e) {
      if (e instanceof status.StatusError && e.code === 404 && this.strategy.allowCreateOnUpdate) {
        // Upstream creates through GuaranteedUpdate here, whose PrepareObjectForStorage clears a resourceVersion that
        // a POST's storage Create would refuse.
        const { resourceVersion: _ignored, ...metadata } = body.metadata ?? {};
        return { obj: await this.create(ctx, { ...body, metadata }), created: true };
      }
      throw e;
    }
  }

  /**
   * Applies `mutate` to the current object and stores the result, retrying on write conflicts. A resourceVersion
   * in the object `mutate` returns must match the stored one (optimistic concurrency), else 409 Conflict.
   */
  async guaranteedUpdate(
    ctx: RequestContext,
    name: string,
    mutate: (current: StoredObject) => Promise<StoredObject>,
    opts: GuaranteedUpdateOptions = {},
  ): Promise<StoredObject> {
    // `mutate` gets its own copy: `current` is the storage's object (the watch cache's own, shared by readers).
    return this.updateFrom(ctx, name, (current) => mutate(cloneJson(current)), opts);
  }

  /** guaranteedUpdate's loop: `next` makes each attempt's object from the stored one, leaving `current` as it is. */
  private async updateFrom(ctx: RequestContext, name: string, next: (current: StoredObject) => Promise<StoredObject>, opts: GuaranteedUpdateOptions = {}): Promise<StoredObject> {
    let dryRunResult: StoredObject | undefined;
    let emptied: { obj: StoredObject; uid: string } | undefined;
    // What the attempt being written took (beginUpdate); an attempt that is retried or fails gives it back.
    let finish: Finish | undefined;
    // Called only while an attempt holds something (most kinds never do): no async frame per write for nothing.
    const settle = (succeeded: boolean): Promise<void> => {
      const f = finish!;
      finish = undefined;
      // As on create: a failed give-back leaves a leak for repair, never a failed request.
      return f(succeeded).catch(() => undefined);
    };
    const result = this.run(name, () =>
      this.storage.guaranteedUpdate(this.key(ctx.namespace, name), async (current) => {
        if (finish) await settle(false);
        const obj = await next(current);
        obj.metadata ??= {};
        const requestedRv = obj.metadata.resourceVersion;
        if (requestedRv && requestedRv !== current.metadata.resourceVersion) {
          throw status.conflict(this.resourceRef, name, status.optimisticLockMessage);
        }
        if (!requestedRv && !this.strategy.allowUnconditionalUpdate) {
          // Upstream names the resource, not the kind, here, and prints the parsed version (a uint64 0) as Go's %#v.
          throw status.invalid(this.kind.group, this.kind.resource, name, [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', badValue: new GoValue('0x0'), detail: 'must be specified for an update' }]);
        }
        // The server owns these; a client may not change them (what it sent is noted for RBAC's escalation check).
        rememberSentIdentity(obj);
        obj.metadata.uid = current.metadata.uid;
        obj.metadata.creationTimestamp = current.metadata.creationTimestamp;
        carryDeletionFields(obj, current);
        obj.metadata = withoutResourceVersion(obj.metadata);
        this.decodeDefaults(obj);
        if (!ctx.dropManagedFields) trackUpdate(this.strategy, ctx, current, obj, opts.subresource);
        const attrs = this.attributes(ctx, 'UPDATE', obj, current, { kind: 'UpdateOptions', apiVersion: 'meta.k8s.io/v1', ...dryRunOption(ctx) }, opts.subresource);
        const view = opts.admissionView;
        if (view) Object.assign(attrs, { object: view.toView(obj), oldObject: view.toView(current), objectKind: view.kind });
        const entries = obj.metadata.managedFields;
        await this.admission.admit(attrs);
        if (view) view.fromView(attrs.object!, obj);
        keepValidManagedFields(obj, entries, ctx);
        if (ctx.dropManagedFields) delete obj.metadata.managedFields;
        if (this.strategy.beginUpdate) finish = await this.strategy.beginUpdate(obj, current, { dryRun: ctx.dryRun });
        this.strategy.prepareForUpdate(obj, current);
        const validating = performance.now();
        const validationWarnings: string[] = [];
        const errors = this.strategy.validateUpdate(this.forValidation(obj), this.forValidation(current), undefined, validationWarnings);
        spentIn('validation', validating);
        addWarnings(ctx, validationWarnings);
        this.throwIfInvalid(name, errors);
        addWarnings(ctx, this.strategy.warningsOnUpdate?.(obj, current));
        await this.admission.validate(attrs);
        // An update that leaves an object being deleted nothing to wait for deletes it (deletion.ts).
        if (shouldDeleteDuringUpdate(this.strategy, obj, current)) {
          // The response shows the update as it would have been stored, in Go's shape.
          this.strategy.canonicalize(obj);
          this.toGoShape(obj);
          emptied = { obj: { ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion } }, uid: current.metadata.uid };
          throw emptiedFinalizers;
        }
        this.strategy.canonicalize(obj);
        this.toGoShape(obj);
        keepEntriesOfNoopUpdate(obj, current);
        if (ctx.dryRun) {
          dryRunResult = { ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion } };
          throw dryRunDone;
        }
        // The storage writes what this returns: not once the request is cancelled.
        throwIfCancelled(ctx.cancellation);
        return obj;
      }, { preconditions: opts.preconditions, cancellation: ctx.cancellation }),
    );
    try {
      const stored = await result;
      if (finish) await settle(true);
      return stored;
    } catch (e) {
      if (finish) await settle(false);
      if (e === dryRunDone) return dryRunResult!;
      if (e === emptiedFinalizers) return this.deleteWithoutFinalizers(ctx, name, emptied!.obj, emptied!.uid);
      throw e;
    }
  }

  /**
   * Deletes the object, or, when it has to wait (finalizers, a graceful deletion), stores it marked with a
   * deletionTimestamp; `deleted` tells which. The rules are upstream's (deletion.ts).
   */
  async delete(ctx: RequestContext, name: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
    // Upstream's DeleteCollection calls the generic store's Delete, past a kind's own REST.Delete refusals.
    const refusal = ctx.collectionRequestNamespace === undefined ? this.strategy.refuseDelete?.(name) : undefined;
    if (refusal) throw status.forbidden(this.resourceRef, name, refusal);
    addWarnings(ctx, this.strategy.warningsOnDelete?.(opts));
    return deleteObject(this.deletionHost(ctx), ctx.namespace, name, opts, ctx.dryRun);
  }

  /** What deletion.ts needs of this store for one request: its storage, keys, errors and admission. */
  private deletionHost(ctx: RequestContext): DeletionHost {
    return {
      strategy: this.strategy,
      storage: this.storage,
      gcEnabled: this.enableGarbageCollection,
      cancellation: ctx.cancellation,
      key: (namespace: string, name: string) => this.key(namespace, name),
      run: <T>(name: string, op: () => Promise<T>) => this.run(name, op),
      toStatusError: (e: unknown, name: string) => this.toStatusError(e, name),
      admit: async (current: StoredObject, opts: DeleteOptions, dryRun: boolean) => {
        const attrs = this.attributes({ ...ctx, dryRun }, 'DELETE', undefined, current, { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1', ...opts, ...(dryRun ? { dryRun: ['All'] } : {}) });
        if (ctx.collectionRequestNamespace !== undefined) Object.assign(attrs, { namespace: ctx.collectionRequestNamespace, name: '' });
        await this.admission.admit(attrs);
        await this.admission.validate(attrs);
      },
    };
  }

  /** The update that removed the last finalizer deletes the object instead (the response shows the update). */
  private async deleteWithoutFinalizers(ctx: RequestContext, name: string, obj: StoredObject, uid: string): Promise<StoredObject> {
    if (ctx.dryRun) return obj;
    throwIfCancelled(ctx.cancellation);
    try {
      const gone = await this.storage.delete(this.key(ctx.namespace, name), { preconditions: { uid }, cancellation: ctx.cancellation });
      await this.strategy.afterDelete?.(gone);
    } catch (e) {
      // Deleted meanwhile by another update that removed the finalizers too.
      if (!(e instanceof StorageError && e.code === 'NotFound')) throw this.toStatusError(e, name);
    }
    return obj;
  }

  watch(ctx: RequestContext, opts: WatchOptions, sink: WatchSink): Watch {
    return this.storage.watch(
      this.listPrefix(ctx.namespace),
      {
        resourceVersion: opts.resourceVersion,
        predicate: this.predicate(opts),
        allowWatchBookmarks: opts.allowWatchBookmarks,
        sendInitialEvents: opts.sendInitialEvents,
      },
      {
        onEvent: (ev) => sink.onEvent(ev),
        onError: (err) => sink.onError(this.toStatusError(err, '')),
      },
    );
  }

  /**
   * The selector in the labels this kind's objects are matched by (aliases resolved), or a 400 naming the first
   * label the kind cannot be selected by, as upstream's list and watch handlers answer. Kinds whose strategy has no
   * label conversion (custom resources) accept exactly the fields selectableFields gives.
   */
  convertFieldSelector(sel: FieldSelector): FieldSelector {
    const strategy = this.strategy;
    const convert = strategy.convertFieldLabel
      ? (label: string) => strategy.convertFieldLabel!(label)
      : (label: string) => {
          if (!(label in this.selectableFields({ metadata: {} }))) throw new Error(`field label not supported: ${label}`);
          return label;
        };
    try {
      return transformFieldSelector(sel, convert);
    } catch (e) {
      throw status.badRequest((e as Error).message);
    }
  }

  /** Fields a field selector can match for this kind. */
  selectableFields(obj: StoredObject): Record<string, string> {
    const fields: Record<string, string> = { 'metadata.name': obj.metadata?.name ?? '' };
    if (this.strategy.namespaced) fields['metadata.namespace'] = obj.metadata?.namespace ?? '';
    return { ...fields, ...this.strategy.selectableFields(obj) };
  }

  private predicate(opts: ListOptions): Predicate {
    const { labelSelector, fieldSelector } = opts;
    const label = labelSelector && !labelSelector.empty ? labelSelector : undefined;
    const field = fieldSelector && !fieldSelector.empty ? fieldSelector : undefined;
    if (!label && !field) return { matches: () => true, everything: true };
    return {
      everything: false,
      matches: (obj) => (!label || label.matches(obj.metadata?.labels ?? {})) && (!field || field.matches(this.selectableFields(obj))),
      selection: {
        labels: (labels) => !label || label.matches(labels),
        fields: field && { of: this.fieldsOf, matches: (fields) => field.matches(fields), exact: exactFieldValues(field) },
      },
    };
  }

  /** selectableFields as one function for the life of this store (caches keep each object's answer by it). */
  private readonly fieldsOf = (obj: StoredObject): Record<string, string> => this.selectableFields(obj);

  /** A request body as this kind: right apiVersion/kind, metadata present, namespace from the path. */
  private prepareIncoming(ctx: RequestContext, body: StoredObject): StoredObject {
    const obj = cloneJson(body);
    const apiVersion = this.kind.group ? `${this.kind.group}/${this.kind.version}` : this.kind.version;
    if (this.kind.builtIn) {
      // Upstream's typed decoding defaults what the body leaves out from the URL.
      if (obj.kind !== undefined && obj.kind !== this.kind.kind) {
        throw status.badRequest(`the kind "${obj.kind}" of the body does not match the resource ${this.kind.resource}, whose kind is "${this.kind.kind}"`);
      }
      if (obj.apiVersion !== undefined && groupVersionOf(obj.apiVersion) !== apiVersion) throw apiVersionMismatch(obj.apiVersion, apiVersion);
    } else {
      // Unstructured decoding takes apiVersion and kind from the body alone (a body without a kind was refused by
      // the decoder); the handler then wants the URL's group version, and the strategy's validation the kind.
      if (groupVersionOf(obj.apiVersion) !== apiVersion) throw apiVersionMismatch(obj.apiVersion, apiVersion);
      if (obj.kind !== this.kind.kind) {
        const name = typeof obj.metadata?.name === 'string' ? obj.metadata.name : '';
        throw status.invalid(this.kind.group, String(obj.kind), name, [invalid('kind', obj.kind, `must be ${this.kind.kind}`)]);
      }
    }
    obj.apiVersion = apiVersion;
    obj.kind = this.kind.kind;
    if (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) obj.metadata = {};
    if (this.strategy.namespaced) {
      if (obj.metadata.namespace && ctx.namespace && obj.metadata.namespace !== ctx.namespace) {
        throw status.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = ctx.namespace || obj.metadata.namespace;
    } else {
      delete obj.metadata.namespace;
    }
    return obj;
  }

  /**
   * The request's namespace as admission sees it. Requests on a Namespace carry its name in their path
   * (/api/v1/namespaces/{name}), and upstream's create handler (since 1.24) gives a Namespace being created its own
   * name likewise ('' while the name is still to be generated): so a Namespace's own name, whoever writes it.
   */
  private requestNamespace(ctx: RequestContext, obj: StoredObject | undefined, old: StoredObject | undefined): string {
    const written = obj ?? old;
    if (this.kind.group === '' && this.kind.resource === 'namespaces') return written?.metadata?.name ?? '';
    return written?.metadata?.namespace ?? ctx.namespace;
  }

  /** What admission sees of a write: the request's resource and subresource, the objects, who asks and how. */
  private attributes(ctx: RequestContext, operation: Operation, obj: StoredObject | undefined, old: StoredObject | undefined, options: StoredObject, subresource = this.strategy.subresource ?? ''): AdmissionAttributes {
    return {
      operation,
      kind: this.kind,
      resource: { group: this.kind.group, version: this.kind.version, resource: this.kind.resource },
      objectKind: { group: this.kind.group, version: this.kind.version, kind: this.kind.kind },
      namespace: this.requestNamespace(ctx, obj, old),
      name: (obj ?? old)?.metadata?.name ?? '',
      subresource,
      object: obj,
      oldObject: old,
      user: ctx.user,
      dryRun: ctx.dryRun,
      warnings: ctx.warnings,
      auditAnnotations: ctx.auditAnnotations,
      options,
      cancellation: ctx.cancellation,
    };
  }

  private throwIfInvalid(name: string, errors: FieldError[]): void {
    if (errors.length) throw status.invalid(this.kind.group, this.kind.kind, name, errors);
  }

  /** Runs a storage call, turning storage errors into Status errors about this resource. */
  private async run<T>(name: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      throw this.toStatusError(e, name);
    }
  }

  toStatusError(e: unknown, name: string): Error {
    if (e instanceof status.StatusError || e === dryRunDone || e === emptiedFinalizers) return e as Error;
    if (e instanceof StorageError) {
      switch (e.code) {
        case 'NotFound':
          return status.notFound(this.resourceRef, name);
        case 'Exists':
          return status.alreadyExists(this.resourceRef, name);
        case 'Conflict':
          // A failed storage precondition, with the text of upstream's storage error (an invalid-object one, code 4).
          return status.conflict(this.resourceRef, name, `StorageError: invalid object, Code: 4, Key: ${e.key}, ResourceVersion: 0, AdditionalErrorMsg: ${e.message}`);
        case 'Expired': {
          const err = status.expired(e.message);
          // An expired continue token comes with one for the (inconsistent) rest of the list, as upstream.
          if (e.continueToken) err.status.metadata = { continue: e.continueToken };
          return err;
        }
        case 'TooLargeResourceVersion':
          return status.timeout(`Too large resource version: ${e.message.replace(/^Too large resource version: /, '')}`, 1);
        case 'InvalidObject':
          return e.key ? status.internalError(e) : status.badRequest(e.message);
        case 'Unavailable':
          return status.serviceUnavailable(e.message);
        case 'RequestTooLarge':
          return new status.RequestTooLargeError(e.message);
      }
    }
    if (e instanceof StorageUnavailableError) return status.serviceUnavailable(`storage is unavailable: ${e.message}`);
    return status.internalError(e);
  }
}

function dryRunOption(ctx: RequestContext): { dryRun?: string[] } {
  return ctx.dryRun ? { dryRun: ['All'] } : {};
}

/** How many names upstream's store generates for one create before it gives up (maxNameGenerationCreateAttempts). */
const maxNameGenerationAttempts = 8;
/** getEncoded's answer where the storage keeps no encoded objects: one resolved promise for every such call. */
const notEncoded: Promise<EncodedItem | undefined> = Promise.resolve(undefined);

const dryRunDone = new Error('dry run: nothing stored');
const emptiedFinalizers = new Error('the update left nothing to wait for: delete the object');

/** A body's apiVersion as upstream's schema.ParseGroupVersion and GroupVersion.String() give it back. */
function groupVersionOf(apiVersion: unknown): string {
  const text = typeof apiVersion === 'string' ? apiVersion : '';
  if (text === '/') return '';
  const slash = text.indexOf('/');
  return slash <= 0 ? text.slice(slash + 1) : text;
}

/** The create and update handlers' check of the decoded body's group version against the URL's. */
function apiVersionMismatch(apiVersion: unknown, expected: string): status.StatusError {
  return status.badRequest(`the API version in the data (${groupVersionOf(apiVersion)}) does not match the expected API version (${expected})`);
}

/** The name part of a key (the key functions' checks); the common name pays one scan for the rare characters. */
function checkKeyName(name: string): void {
  if (!name) throw status.badRequest('Name parameter required.');
  if (!mayBeBadPathSegment.test(name)) return;
  const problems = isValidPathSegmentName(name);
  if (problems.length) throw status.badRequest(`Name parameter invalid: ${goQuote(name)}: ${problems.join(';')}`);
}

const mayBeBadPathSegment = /^\.\.?$|[/%]/;
