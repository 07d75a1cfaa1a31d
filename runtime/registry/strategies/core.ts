/** Strategy overrides for core/v1 kinds whose rules go beyond their generated registration. */
import type { StoredObject } from '../../storage/store.ts';
import { conflict, invalid } from '../../machinery/status.ts';
import { IPRangeError } from '../core/service-ip-allocator.ts';
import { DefaultStrategy, markDeleting, registerStrategy } from '../strategy.ts';
import { finalizerDeleteDependents, finalizerOrphanDependents, type DeleteOptions, type GarbageCollectionPolicy } from '../deletion.ts';
import { nowTime } from '../objectmeta.ts';

/** Namespaces start Active with the `kubernetes` finalizer, as upstream; status is written only via /status. */
class NamespaceStrategy extends DefaultStrategy {
  readonly returnDeletedObject = true;
  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    obj.status = { phase: 'Active' };
    const finalizers: string[] = obj.spec?.finalizers ?? [];
    obj.spec = { ...(obj.spec ?? {}), finalizers: finalizers.includes('kubernetes') ? finalizers : [...finalizers, 'kubernetes'] };
  }
  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    obj.spec = old.spec;
  }
  /**
   * A namespace with finalizers (the namespace controller's `kubernetes` in spec, or any in metadata) turns
   * Terminating; the namespace controller empties it, removes its finalizer, and then it goes. As upstream's
   * namespace REST, the first delete sets only the deletionTimestamp (no grace period); once spec.finalizers is
   * empty, metadata finalizers hold it as they hold any object.
   */
  override beginDelete(obj: StoredObject): StoredObject | undefined {
    if (obj.spec?.finalizers?.length) {
      obj.metadata.deletionTimestamp ??= nowTime();
    } else if (obj.metadata?.finalizers?.length) {
      markDeleting(obj);
    } else {
      return undefined;
    }
    obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
    return obj;
  }
  /** The namespace REST's own precondition messages, checked before the generic ones. */
  checkDeletePreconditions(obj: StoredObject, opts: DeleteOptions): void {
    const pre = opts.preconditions;
    const ref = { group: '', resource: 'namespaces' };
    if (pre?.uid && pre.uid !== obj.metadata.uid) {
      throw conflict(ref, obj.metadata.name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
      throw conflict(ref, obj.metadata.name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
    }
  }
  /**
   * Namespaces keep the GC finalizers by their own rules (upstream's namespace REST): the deprecated
   * `orphanDependents: false` asks for foreground deletion, and no kind default applies.
   */
  propagationFinalizers(obj: StoredObject, opts: DeleteOptions): string[] {
    const current: string[] = obj.metadata?.finalizers ?? [];
    const orphan = opts.orphanDependents ?? (opts.propagationPolicy !== undefined ? opts.propagationPolicy === 'Orphan' : current.includes(finalizerOrphanDependents));
    const foreground = opts.orphanDependents !== undefined ? !opts.orphanDependents : opts.propagationPolicy !== undefined ? opts.propagationPolicy === 'Foreground' : current.includes(finalizerDeleteDependents);
    const next = current.filter((f) => f !== finalizerOrphanDependents && f !== finalizerDeleteDependents);
    if (orphan) next.push(finalizerOrphanDependents);
    if (foreground) next.push(finalizerDeleteDependents);
    return next;
  }
}

/**
 * The `namespaces/{name}/finalize` subresource: only spec.finalizers changes, as upstream's finalize strategy;
 * everything else is kept from the stored namespace.
 */
export class NamespaceFinalizeStrategy extends NamespaceStrategy {
  readonly subresource = 'finalize';
  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    const finalizers = obj.spec?.finalizers;
    Object.assign(obj, { ...structuredClone(old), spec: { ...(old.spec ?? {}), finalizers } });
    for (const key of Object.keys(obj)) if (!(key in old) && key !== 'spec') delete obj[key];
    delete obj.metadata.resourceVersion;
  }
}

/** Secrets can be selected by type (`kubectl get secrets --field-selector type=...`). */
class SecretStrategy extends DefaultStrategy {
  override selectableFields(obj: StoredObject): Record<string, string> {
    return { type: String(obj.type ?? '') };
  }
}

/** Events expire after --event-ttl, and `kubectl describe` finds them by the object they are about. */
class EventStrategy extends DefaultStrategy {
  /** Events never get the garbage collector's finalizers. */
  garbageCollectionPolicy(): GarbageCollectionPolicy {
    return 'Unsupported';
  }
  override ttlSeconds(): number {
    return this.config.eventTtlSeconds;
  }
  override selectableFields(obj: StoredObject): Record<string, string> {
    const involved = obj.involvedObject ?? {};
    const fields: Record<string, string> = {
      reason: String(obj.reason ?? ''),
      reportingComponent: String(obj.reportingComponent ?? ''),
      source: String(obj.reportingComponent || obj.source?.component || ''),
      type: String(obj.type ?? ''),
    };
    for (const f of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) fields[`involvedObject.${f}`] = String(involved[f] ?? '');
    return fields;
  }
}

/** events.k8s.io Events share the store (and the TTL) of core Events. */
class EventsV1Strategy extends DefaultStrategy {
  garbageCollectionPolicy(): GarbageCollectionPolicy {
    return 'Unsupported';
  }
  override ttlSeconds(): number {
    return this.config.eventTtlSeconds;
  }
}

/** Pods, volumes and claims start Pending; their status is written only through /status afterwards. */
class PendingStatusStrategy extends DefaultStrategy {
  /** Pods, volumes and claims answer a delete with the deleted object, as upstream. */
  readonly returnDeletedObject = true;
  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    obj.status = { phase: 'Pending' };
  }
}

/**
 * Services get a cluster IP from the allocator when they ask for one (not ExternalName, not headless), keep it
 * across updates that leave it out, and give it back when they go.
 */
class ServiceStrategy extends DefaultStrategy {
  readonly returnDeletedObject = true;
  private static readonly allocatedFields = ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy'] as const;

  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    if (obj.spec && old.spec?.clusterIP && !obj.spec.clusterIP && obj.spec.type !== 'ExternalName') {
      for (const f of ServiceStrategy.allocatedFields) if (old.spec[f] !== undefined) obj.spec[f] ??= old.spec[f];
    }
  }

  async beginCreate(obj: StoredObject): Promise<(succeeded: boolean) => Promise<void>> {
    const allocator = this.config.serviceIPs;
    const spec = obj.spec ?? {};
    if (!allocator || spec.type === 'ExternalName' || spec.clusterIP === 'None') return async () => {};
    let ip: string;
    try {
      ip = await allocator.allocate(`${obj.metadata.namespace}/${obj.metadata.name}`, spec.clusterIP || spec.clusterIPs?.[0] || undefined);
    } catch (e) {
      if (e instanceof IPRangeError) throw invalid('', 'Service', obj.metadata.name, [{ type: 'FieldValueInvalid', field: 'spec.clusterIPs', badValue: spec.clusterIP ?? '', detail: e.message }]);
      throw e;
    }
    obj.spec = { ...spec, clusterIP: ip, clusterIPs: [ip], ipFamilies: ['IPv4'], ipFamilyPolicy: spec.ipFamilyPolicy ?? 'SingleStack' };
    return async (succeeded) => {
      if (!succeeded) await allocator.release(ip);
    };
  }

  async afterDelete(obj: StoredObject): Promise<void> {
    const allocator = this.config.serviceIPs;
    for (const ip of obj.spec?.clusterIPs ?? (obj.spec?.clusterIP ? [obj.spec.clusterIP] : [])) {
      if (allocator && allocator.range.offsetOf(ip) !== undefined) await allocator.release(ip);
    }
  }
}

registerStrategy('', 'Namespace', (kind, schema, config) => new NamespaceStrategy(kind, schema, config));
registerStrategy('', 'Service', (kind, schema, config) => new ServiceStrategy(kind, schema, config));
registerStrategy('', 'Secret', (kind, schema, config) => new SecretStrategy(kind, schema, config));
/** Service accounts answer a delete with the deleted object, as upstream. */
class ServiceAccountStrategy extends DefaultStrategy {
  readonly returnDeletedObject = true;
}
registerStrategy('', 'ServiceAccount', (kind, schema, config) => new ServiceAccountStrategy(kind, schema, config));
/** Replication controllers orphan their pods by default in core/v1, as upstream keeps for compatibility. */
class ReplicationControllerStrategy extends DefaultStrategy {
  garbageCollectionPolicy(): GarbageCollectionPolicy {
    return this.kind.version === 'v1' ? 'OrphanDependents' : 'DeleteDependents';
  }
}
registerStrategy('', 'ReplicationController', (kind, schema, config) => new ReplicationControllerStrategy(kind, schema, config));
/** Pods are selected by node, phase and a few other fields (kubelets watch `spec.nodeName=<node>`), as upstream. */
class PodStrategy extends PendingStatusStrategy {
  /**
   * Graceful deletion (upstream's CheckGracefulDelete): the grace period asked for, else the pod's
   * terminationGracePeriodSeconds; an unscheduled or finished pod goes at once. A pod deleted with a grace
   * period stays, with a deletionTimestamp in the future, until the kubelet (or a forced delete) deletes it with 0.
   */
  checkGracefulDelete(obj: StoredObject, opts: DeleteOptions): boolean {
    let period: number = opts.gracePeriodSeconds ?? obj.spec?.terminationGracePeriodSeconds ?? 0;
    if (!obj.spec?.nodeName) period = 0;
    if (obj.status?.phase === 'Failed' || obj.status?.phase === 'Succeeded') period = 0;
    if (period < 0) period = 1;
    opts.gracePeriodSeconds = period;
    return true;
  }
  override selectableFields(obj: StoredObject): Record<string, string> {
    const spec = obj.spec ?? {};
    const status = obj.status ?? {};
    return {
      'spec.nodeName': String(spec.nodeName ?? ''),
      'spec.restartPolicy': String(spec.restartPolicy ?? ''),
      'spec.schedulerName': String(spec.schedulerName ?? ''),
      'spec.serviceAccountName': String(spec.serviceAccountName ?? ''),
      'spec.hostNetwork': String(Boolean(spec.hostNetwork)),
      'status.phase': String(status.phase ?? ''),
      'status.podIP': String(status.podIPs?.[0]?.ip ?? status.podIP ?? ''),
      'status.nominatedNodeName': String(status.nominatedNodeName ?? ''),
    };
  }
}

registerStrategy('', 'Pod', (kind, schema, config) => new PodStrategy(kind, schema, config));
for (const kind of ['PersistentVolume', 'PersistentVolumeClaim']) registerStrategy('', kind, (k, schema, config) => new PendingStatusStrategy(k, schema, config));
registerStrategy('', 'Event', (kind, schema, config) => new EventStrategy(kind, schema, config));
registerStrategy('events.k8s.io', 'Event', (kind, schema, config) => new EventsV1Strategy(kind, schema, config));
