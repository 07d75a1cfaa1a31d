/**
 * Strategies: the per-kind policy of create, update and delete, in the shape of upstream's REST strategies. The
 * generic registry store owns the order of the steps; a strategy says what each step does for its kind. Most
 * kinds use the default strategy built from their registration; a kind with special rules registers an override
 * in `strategies/` that changes only the hooks it needs.
 */
import type { UserInfo } from '../auth/user.ts';
import type { FieldError } from '../machinery/field-errors.ts';
import { invalid } from '../machinery/field-errors.ts';
import { fieldOrder } from '../machinery/field-order.ts';
import { canonicalizeQuantities } from '../machinery/quantity.ts';
import { semanticEqual } from '../machinery/semantic-equal.ts';
import { storedReflectEqual } from './stored-reflect-equal.ts';
import type { KindRegistration, NameFormat, SelectableField } from '../machinery/registration.ts';
import type { ServiceAllocators } from './core/service-alloc.ts';
import type { StoredObject } from '../storage/store.ts';
import { ObjectMetaChecks, validateObjectMeta } from './objectmeta.ts';
import { markAsDeleting, type DeleteOptions, type GarbageCollectionPolicy } from './deletion.ts';
import { dropDisabledFields } from './disabled-fields.ts';
import { defaultValidationOptions, type ValidationOptions } from '../machinery/validation-options.ts';

/** What beginCreate and beginUpdate are told about the request. */
export interface BeginOptions {
  dryRun: boolean;
}

/** Told whether the write succeeded: gives back what the hook took if not, releases what it gave up if so. */
export type Finish = (succeeded: boolean) => Promise<void>;

export interface Strategy {
  readonly kind: KindRegistration;
  readonly namespaced: boolean;
  /** The subresource this strategy serves (`status`, `finalize`), for admission; absent for the resource itself. */
  readonly subresource?: string;
  /**
   * Runs on create before validation; may mutate (e.g. clear status, set generation). `requester` is who asks, for
   * kinds that record it (a CertificateSigningRequest's spec.username).
   */
  prepareForCreate(obj: StoredObject, requester?: UserInfo): void;
  /** Runs on update before validation; may mutate `obj` (e.g. keep the old status), never `old`. */
  prepareForUpdate(obj: StoredObject, old: StoredObject): void;
  /**
   * Optional: what this strategy tells the kind's validation (validation-options.ts), from the server's flags; a
   * subresource strategy that validates through this one builds its own from them.
   */
  readonly validationOptions?: ValidationOptions;
  /** `opts`: what the kind's validation is told instead of `validationOptions` (a subresource strategy's own). */
  validate(obj: StoredObject, opts?: ValidationOptions): FieldError[];
  /** `warnings` collects what the validation warns of instead of refusing; they go out with the answer, 422 included. */
  validateUpdate(obj: StoredObject, old: StoredObject, opts?: ValidationOptions, warnings?: string[]): FieldError[];
  /**
   * Optional: validation of a write through `/status`, when it is narrower than validateUpdate (upstream's status
   * strategies that check only the status, e.g. CustomResourceDefinitions). Without it /status uses validateUpdate.
   * `meta`: the write's ObjectMeta checks, whose common ones the status strategy has run: a kind's status check that
   * repeats ObjectMeta's update rules, as upstream's ValidateXStatusUpdate do, takes their errors from it.
   */
  validateStatusUpdate?(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[];
  /** Normalises a valid object before it is stored; may mutate. */
  canonicalize(obj: StoredObject): void;
  /** Whether PUT of a missing object creates it. */
  readonly allowCreateOnUpdate: boolean;
  /** Whether PUT without a resourceVersion overwrites (true) or is refused. */
  readonly allowUnconditionalUpdate: boolean;
  /** Seconds until the stored object expires (Events), or undefined to keep it. */
  ttlSeconds(obj: StoredObject): number | undefined;
  /** Extra fields a field selector may use besides metadata.name/namespace (e.g. Secret `type`). */
  selectableFields(obj: StoredObject): Record<string, string>;
  /**
   * Optional: upstream's field label conversion of the kind: the label a selector's `label` stands for, or an
   * Error with the message of the 400 when the kind cannot be selected by it. Without it, the labels of
   * selectableFields (and metadata.name, and metadata.namespace for namespaced kinds) are accepted, as for CRDs.
   */
  convertFieldLabel?(label: string): string;
  /**
   * Runs on delete after admission, and after every update of an object that is being deleted. Returns the
   * object to store in place of deleting it while deletion has to wait (finalizers, a Terminating phase), or
   * undefined when the object can go now. May mutate and return `obj` (a copy of the stored object).
   */
  beginDelete(obj: StoredObject): StoredObject | undefined;
  /**
   * Optional (upstream's BeginCreate hook): runs on create after mutating admission and before prepareForCreate and
   * validation, to take what the object needs from outside the store (a Service's cluster IPs and node ports); may
   * mutate `obj`. Returns the function told whether the write succeeded, to give back what it took if not. A dry
   * run calls it too, with `dryRun` set (checks only, claims nothing).
   */
  beginCreate?(obj: StoredObject, opts: BeginOptions): Promise<Finish>;
  /**
   * Optional (upstream's BeginUpdate hook): the same for an update, before prepareForUpdate and validation; `old` is
   * the stored object. Each attempt of a retried update gets its own call; the one that was written is told success.
   */
  beginUpdate?(obj: StoredObject, old: StoredObject, opts: BeginOptions): Promise<Finish>;
  /** Optional: runs after the object is gone from the store (release what beginCreate took). */
  afterDelete?(obj: StoredObject): Promise<void>;
  /**
   * Optional (deletion.ts): what a delete naming no propagation policy does to dependents, upstream's
   * DefaultGarbageCollectionPolicy; absent means DeleteDependents (in the background). `Unsupported`: the kind
   * never gets the garbage collector's finalizers.
   */
  garbageCollectionPolicy?(): GarbageCollectionPolicy;
  /**
   * Optional (deletion.ts): graceful deletion, upstream's CheckGracefulDelete. Returns true when the object is
   * deleted gracefully, after setting `opts.gracePeriodSeconds` (0: at once). Only Pods have it upstream.
   */
  checkGracefulDelete?(obj: StoredObject, opts: DeleteOptions): boolean;
  /** Optional (deletion.ts): the finalizers a delete leaves for the garbage collector, when the kind's rules differ. */
  propagationFinalizers?(obj: StoredObject, opts: DeleteOptions): string[];
  /** Optional (deletion.ts): throws the kind's own 409 when a delete precondition fails (namespaces word it their way). */
  checkDeletePreconditions?(obj: StoredObject, opts: DeleteOptions): void;
  /**
   * Optional: why a delete of `name` is refused before anything else is looked at (upstream's REST.Delete overrides,
   * such as the system PriorityClasses'); undefined lets it go on.
   */
  refuseDelete?(name: string): string | undefined;
  /** Optional: `Warning` texts for a delete with these options (a batch/v1 Job's orphaned pods). */
  warningsOnDelete?(opts: DeleteOptions): string[];
  /** Optional: `Warning` texts for a valid object about to be created (upstream's WarningsOnCreate). */
  warningsOnCreate?(obj: StoredObject): string[];
  /** Optional: `Warning` texts for a valid update (upstream's WarningsOnUpdate). */
  warningsOnUpdate?(obj: StoredObject, old: StoredObject): string[];
  /** Whether a completed delete answers with the deleted object instead of a Success Status (upstream's ReturnDeletedObject). */
  readonly returnDeletedObject?: boolean;
  /**
   * Set on a subresource the server itself writes through (pods/binding, the DisruptionTarget condition of an
   * eviction), where upstream's REST writes storage directly: its store runs no admission.
   */
  readonly bypassesAdmission?: boolean;
}

/** Marks an object as being deleted with no grace period, keeping an earlier deletion time. Mutates `obj`. */
export function markDeleting(obj: StoredObject): StoredObject {
  return markAsDeleting(obj);
}

function hasSpec(kind: KindRegistration, schema: unknown): boolean {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return Boolean(props && 'spec' in props) && kind.kind !== 'Namespace';
}

function valueAt(obj: StoredObject, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as StoredObject)[k] : undefined), obj);
}

function fieldGetter(f: SelectableField): (obj: StoredObject) => string {
  if (f.value) return f.value;
  const parts = (f.path ?? f.label).split('.');
  const zero = f.zero ?? '';
  return (obj) => {
    let v: unknown = obj;
    for (const k of parts) v = v && typeof v === 'object' ? (v as StoredObject)[k] : undefined;
    return v === undefined || v === null ? zero : String(v);
  };
}

/** The strategy every kind gets from its generated registration. */
export class DefaultStrategy implements Strategy {
  readonly namespaced: boolean;
  readonly allowCreateOnUpdate: boolean = false;
  readonly allowUnconditionalUpdate: boolean = true;
  /**
   * Kinds with a spec count spec changes in metadata.generation; a kind's strategy turns it off where upstream's
   * never sets a generation (Pods, Leases, HorizontalPodAutoscalers).
   */
  protected tracksGeneration: boolean;
  /**
   * How upstream's PrepareForUpdate compares what the generation counts: apiequality.Semantic for most kinds,
   * reflect.DeepEqual for a few (webhook configurations, NetworkPolicies), where an empty list or map the request
   * sends differs from storage's nil (stored-reflect-equal.ts).
   */
  protected generationEquality: 'semantic' | 'reflect' = 'semantic';
  /**
   * What upstream's update validation checks of ObjectMeta: 'full' where ValidateXUpdate re-runs the kind's whole
   * ValidateX (ConfigMaps, Services, Pods), 'update' where it runs ValidateObjectMetaUpdate alone (Deployments and
   * the other workloads, Namespaces), 'none' where it checks none, nor does its create validation (PodDisruptionBudgets,
   * Events, whose events.k8s.io rules check it themselves in validate_Event); then a generateName is
   * held only to the registry's common rule on every update (rest.BeforeUpdate's validateCommonFields: a path
   * segment, no '/' or '%'), not to the kind's name format. Which kinds do which is the kind's `@metadataOnUpdate`
   * tag in apis/.
   */
  protected metadataOnUpdate: 'full' | 'update' | 'none';
  /**
   * Whether an update is first validated as a create: v1.32's DaemonSet, ReplicaSet and NetworkPolicy strategies
   * call ValidateX (all of ObjectMeta, then the spec) before ValidateXUpdate, which checks the spec again, so each
   * error of the kind's own checks is listed twice among the causes (kubernetes/kubernetes#130656; later releases
   * run them once for the workloads). The checks run once here and their errors are repeated.
   */
  protected updateValidatesAsCreateFirst = false;
  /**
   * Whether finalizer names without a `/` must be standard ones: kube-apiserver's own groups validate metadata
   * with core rules; the apiextensions and aggregator servers' kinds with the generic ones only.
   */
  protected readonly kubeFinalizerNames: boolean;
  /** What the kind's validation is told: one shared frozen object per set of flags (no allocation per write). */
  readonly validationOptions: ValidationOptions;

  constructor(
    readonly kind: KindRegistration,
    kindSchema?: unknown,
    readonly config: StrategyConfig = defaultStrategyConfig,
  ) {
    this.namespaced = kind.scope === 'Namespaced';
    this.metadataOnUpdate = kind.metadataOnUpdate ?? 'full';
    this.tracksGeneration = kind.generation ? kind.generation === 'tracked' : hasSpec(kind, kindSchema);
    this.kubeFinalizerNames = kind.group !== 'apiextensions.k8s.io' && kind.group !== 'apiregistration.k8s.io';
    this.fieldGetters = (kind.selectableFields ?? []).map((f) => [f.label, fieldGetter(f)]);
    this.validationOptions = validationOptionsOf(config);
  }

  /** How each selectable field is read, compiled once per kind (list and watch predicates call it per object). */
  private readonly fieldGetters: ReadonlyArray<readonly [string, (obj: StoredObject) => string]>;

  prepareForCreate(obj: StoredObject): void {
    canonicalizeQuantities(this.kind.schema, obj);
    if (this.kind.subresources.status) delete obj.status;
    if (this.tracksGeneration) obj.metadata.generation = 1;
    dropDisabledFields(this.kind, obj, undefined);
  }

  prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    canonicalizeQuantities(this.kind.schema, obj);
    if (this.kind.subresources.status) {
      if (old.status === undefined) delete obj.status;
      else obj.status = old.status;
    }
    dropDisabledFields(this.kind, obj, old);
    if (this.tracksGeneration) {
      obj.metadata.generation = (old.metadata?.generation ?? 1) + (this.generationChanged(obj, old) ? 1 : 0);
    } else if (old.metadata?.generation !== undefined) {
      obj.metadata.generation = old.metadata.generation;
    } else {
      // As upstream's BeforeUpdate: clients cannot set a generation the server does not keep.
      delete obj.metadata.generation;
    }
  }

  /**
   * Whether an update changes what metadata.generation counts: everything but metadata and status (the spec, for
   * kinds that have one; the webhooks of a webhook configuration, the endpoints and ports of an EndpointSlice).
   */
  protected generationChanged(obj: StoredObject, old: StoredObject): boolean {
    const keys = new Set([...Object.keys(obj), ...Object.keys(old)]);
    for (const key of keys) {
      if (key === 'metadata' || key === 'status' || key === 'apiVersion' || key === 'kind') continue;
      const equal = this.generationEquality === 'reflect' ? storedReflectEqual(obj[key], old[key], this.propertySchema(key)) : semanticEqual(obj[key], old[key]);
      if (!equal) return true;
    }
    return false;
  }

  /** The kind schema of a top-level field (`spec`, `webhooks`). */
  private propertySchema(key: string): unknown {
    return (this.kind.schema as { properties?: Record<string, unknown> }).properties?.[key];
  }

  private order?: (a: string, b: string) => number;
  /** Field paths in the order of the kind's schema, for merging errors of several checkers (field-order.ts). */
  protected fieldOrder(): (a: string, b: string) => number {
    return (this.order ??= fieldOrder(this.kind.schema));
  }

  /**
   * Upstream's ValidateX of a create: ObjectMeta with the kind's name format, then the kind's own checks. Where it
   * checks no ObjectMeta (`@metadataOnUpdate none`), rest.BeforeCreate's generic check of it (the common name rule,
   * no finalizer-name rule) runs once the kind's checks pass.
   */
  validate(obj: StoredObject, opts: ValidationOptions = this.validationOptions): FieldError[] {
    if (this.metadataOnUpdate === 'none') {
      const own = this.kind.validate(obj, undefined, opts);
      return own.length ? own : validateObjectMeta(obj.metadata ?? {}, { namespaced: this.namespaced, nameFormat: 'path-segment' });
    }
    return [...this.kindObjectMetaErrors(new ObjectMetaChecks(obj.metadata ?? {}, this.namespaced)), ...this.kind.validate(obj, undefined, opts)];
  }

  /** What the kind's ValidateX checks of ObjectMeta (core's ValidateObjectMeta for kube-apiserver's own groups). */
  private kindObjectMetaErrors(meta: ObjectMetaChecks): readonly FieldError[] {
    const errors = meta.objectMeta(this.kind.nameFormat);
    return this.kubeFinalizerNames ? [...errors, ...meta.kubeFinalizerNames()] : errors;
  }

  /**
   * Every update's checks, in upstream's order: the registry's common metadata checks (rest.BeforeUpdate), then the
   * kind's ValidateXUpdate (kindUpdateErrors), then the fields the kind's `@immutable` tags hold. ObjectMeta's checks
   * run once however often upstream's order repeats them (ObjectMetaChecks).
   */
  validateUpdate(obj: StoredObject, old: StoredObject, opts: ValidationOptions = this.validationOptions): FieldError[] {
    const meta = new ObjectMetaChecks(obj.metadata ?? {}, this.namespaced, old.metadata ?? {});
    const errors = [...meta.commonFields(), ...this.kindUpdateErrors(obj, old, opts, meta)];
    for (const path of this.kind.immutableFields) {
      if (JSON.stringify(valueAt(obj, path) ?? null) !== JSON.stringify(valueAt(old, path) ?? null)) {
        errors.push(invalid(path, valueAt(obj, path) ?? null, 'field is immutable'));
      }
    }
    return errors;
  }

  /**
   * The kind's ValidateXUpdate: ObjectMeta's update rules (core's ValidateObjectMetaUpdate, which also holds
   * finalizer names), the kind's update-only checks (its `validateUpdate_` hook: ConfigMaps' and Secrets' immutable
   * data), the whole ObjectMeta again where it re-runs ValidateX (`@metadataOnUpdate full`), then the kind's own
   * checks; all of ObjectMeta and the kind's checks before these where the update is first validated as a create
   * (updateValidatesAsCreateFirst). A kind whose upstream validation orders these otherwise overrides it.
   */
  protected kindUpdateErrors(obj: StoredObject, old: StoredObject, opts: ValidationOptions, meta: ObjectMetaChecks): FieldError[] {
    if (this.metadataOnUpdate === 'none') return [...this.updateOnlyErrors(obj, old), ...this.kindErrors(obj, old, opts)];
    const own = this.kindErrors(obj, old, opts);
    return [
      ...(this.updateValidatesAsCreateFirst ? [...this.kindObjectMetaErrors(meta), ...own] : []),
      ...(this.kubeFinalizerNames ? meta.coreObjectMetaUpdate() : meta.objectMetaUpdate()),
      ...this.updateOnlyErrors(obj, old),
      ...(this.metadataOnUpdate === 'full' ? this.kindObjectMetaErrors(meta) : []),
      ...own,
    ];
  }

  /** What only an update checks, before the kind's ValidateX re-runs: the kind's `validateUpdate_` hook. */
  protected updateOnlyErrors(obj: StoredObject, old: StoredObject): FieldError[] {
    return this.kind.validateUpdate?.(obj, old) ?? [];
  }

  /** The kind's own checks after ObjectMeta's (its generated validator, `validate_` hook included). */
  protected kindErrors(obj: StoredObject, old: StoredObject | undefined, opts: ValidationOptions): FieldError[] {
    return this.kind.validate(obj, old, opts);
  }

  canonicalize(_obj: StoredObject): void {}

  ttlSeconds(_obj: StoredObject): number | undefined {
    return undefined;
  }

  /** The kind's `@selectableField`s; an unset field reads as Go's zero value of its type, as upstream's GetAttrs. */
  selectableFields(obj: StoredObject): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [label, get] of this.fieldGetters) out[label] = get(obj);
    return out;
  }

  /**
   * Upstream's field label conversion (pkg/apis/<group>/<version>/conversion.go): a kind that registers none takes
   * metadata.name and metadata.namespace whatever its scope, with apimachinery's default message; one with
   * selectable fields takes those, its aliases, metadata.name and, if namespaced, metadata.namespace.
   */
  convertFieldLabel(label: string): string {
    const fields = this.kind.selectableFields ?? [];
    if (fields.length === 0) {
      if (label === 'metadata.name' || label === 'metadata.namespace') return label;
      throw new Error(`"${label}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    }
    const alias = this.kind.fieldLabelAliases?.[label];
    if (alias !== undefined) return alias;
    if (label === 'metadata.name' || (label === 'metadata.namespace' && this.namespaced) || fields.some((f) => f.label === label)) return label;
    const format = this.kind.fieldSelectorError ?? 'field label not supported: %s';
    throw new Error(format.replace('%q', JSON.stringify(label)).replace('%s', label));
  }

  /** Objects with `metadata.finalizers` stay, marked with a deletionTimestamp, until the finalizers are removed. */
  beginDelete(obj: StoredObject): StoredObject | undefined {
    return obj.metadata?.finalizers?.length ? markDeleting(obj) : undefined;
  }
}

/** Server options that strategies read (from the command line). */
export interface StrategyConfig {
  /** How long Events live (--event-ttl). */
  eventTtlSeconds: number;
  /** Hands out Service cluster IPs and node ports (--service-cluster-ip-range, --service-node-port-range); without it Services get none. */
  serviceAllocators?: ServiceAllocators;
  /** Deletes a deleted Service's Endpoints, as upstream's Service storage does. */
  deleteServiceEndpoints?: (namespace: string, name: string) => Promise<void>;
  /** Whether pods and pod templates may have privileged or hostProcess containers (--allow-privileged; default false). */
  allowPrivileged?: boolean;
}

export const defaultStrategyConfig: StrategyConfig = { eventTtlSeconds: 3600 };

const privilegedValidationOptions: ValidationOptions = Object.freeze({ ...defaultValidationOptions, allowPrivileged: true });

/** The validation options of a server with these flags: the shared default, or one other shared object. */
function validationOptionsOf(config: StrategyConfig): ValidationOptions {
  return config.allowPrivileged ? privilegedValidationOptions : defaultValidationOptions;
}

export type StrategyFactory = (kind: KindRegistration, kindSchema: unknown, config: StrategyConfig) => Strategy;

/** Overrides by `group/Kind`; kinds not listed get the DefaultStrategy. */
const overrides = new Map<string, StrategyFactory>();

export function registerStrategy(group: string, kind: string, factory: StrategyFactory): void {
  overrides.set(`${group}/${kind}`, factory);
}

/** A subresource's strategy built from its resource's (`approval` of CertificateSigningRequests). */
export type SubresourceStrategyFactory = (main: Strategy) => Strategy;

/** Subresource strategies by `group/Kind/subresource`; `status` falls back to the generic StatusStrategy. */
const subresourceOverrides = new Map<string, SubresourceStrategyFactory>();

export function registerSubresourceStrategy(group: string, kind: string, subresource: string, factory: SubresourceStrategyFactory): void {
  subresourceOverrides.set(`${group}/${kind}/${subresource}`, factory);
}

/** The registered strategy of `subresource` of the kind `main` serves, if any. */
export function subresourceStrategyFor(main: Strategy, subresource: string): Strategy | undefined {
  return subresourceOverrides.get(`${main.kind.group}/${main.kind.kind}/${subresource}`)?.(main);
}

export function strategyFor(kind: KindRegistration, kindSchema: unknown, config: StrategyConfig = defaultStrategyConfig): Strategy {
  const factory = overrides.get(`${kind.group}/${kind.kind}`);
  return factory ? factory(kind, kindSchema, config) : new DefaultStrategy(kind, kindSchema, config);
}
