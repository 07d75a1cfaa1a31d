/**
 * The Scheme: every served kind under its group/version/kind and group/version/resource. Generated group versions
 * are added at start-up; custom resources will be added and removed at run time through the same calls, and
 * listeners (discovery, OpenAPI, the REST dispatcher) rebuild what depends on the set of kinds.
 */
import { ProtobufCodec } from './protobuf.ts';
import type { GroupVersionRegistration, KindRegistration, SharedDefinitions } from './registration.ts';
import { compareStrings } from './order.ts';

export interface GroupVersion {
  group: string;
  version: string;
}

export function gvString(gv: GroupVersion): string {
  return gv.group ? `${gv.group}/${gv.version}` : gv.version;
}

/**
 * `apiVersion` -> group/version as schema.ParseGroupVersion reads it: `v1` is the core group, `apps/v1` is apps; more
 * than one `/` (or no string at all) names no group version, so what it names is looked up as nothing.
 */
export function parseApiVersion(apiVersion: unknown): GroupVersion {
  const s = typeof apiVersion === 'string' ? apiVersion : '';
  const i = s.indexOf('/');
  if (i < 0) return { group: '', version: s };
  if (s.indexOf('/', i + 1) >= 0) return { group: '', version: '' };
  return { group: s.slice(0, i), version: s.slice(i + 1) };
}

/** The resource name qualified by its group as in error messages: `configmaps`, `deployments.apps`. */
export function qualifiedResource(k: Pick<KindRegistration, 'resource' | 'group'>): string {
  return k.group ? `${k.resource}.${k.group}` : k.resource;
}

/** Kinds of meta.k8s.io every group version also has (metav1.AddToGroupVersion). */
const metaOptionKinds = ['DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'ListOptions', 'GetOptions'];

const gvrKey = (group: string, version: string, resource: string) => `${group}/${version}/${resource}`;
const gvkKey = (group: string, version: string, kind: string) => `${group}/${version}/${kind}`;

export class Scheme {
  private readonly groupVersions = new Map<string, GroupVersionRegistration>();
  private readonly byResource = new Map<string, KindRegistration>();
  private readonly byKind = new Map<string, KindRegistration>();
  private readonly listeners = new Set<() => void>();
  private generation = 0;
  /** The protobuf encoding of every kind that has one; message descriptors are added with the generated code. */
  readonly protobuf = new ProtobufCodec();

  constructor() {
    // Meta kinds clients send or receive in protobuf whatever the group: errors and delete options.
    this.protobuf.registerKind('v1', 'Status', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status');
    for (const apiVersion of ['v1', 'meta.k8s.io/v1']) this.registerOptionKinds(apiVersion);
    // The metadata views client-go's metadata client reads in protobuf. v1beta1's PartialObjectMetadata is v1's
    // message; its list is a message of its own (apimachinery meta/v1beta1 types.go): v1's fields numbered the other
    // way round, since ListMeta came after items, and written in number order, items first.
    const partial = 'io.k8s.apimachinery.pkg.apis.meta.v1.PartialObjectMetadata';
    for (const apiVersion of ['meta.k8s.io/v1', 'meta.k8s.io/v1beta1']) this.protobuf.registerKind(apiVersion, 'PartialObjectMetadata', partial);
    this.protobuf.registerKind('meta.k8s.io/v1', 'PartialObjectMetadataList', `${partial}List`);
    const v1beta1List = 'io.k8s.apimachinery.pkg.apis.meta.v1beta1.PartialObjectMetadataList';
    this.protobuf.addMessages({
      [v1beta1List]: [
        { name: 'items', number: 1, type: partial, repeated: true },
        { name: 'metadata', number: 2, type: 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta', always: true },
      ],
    });
    this.protobuf.registerKind('meta.k8s.io/v1beta1', 'PartialObjectMetadataList', v1beta1List);
  }

  /**
   * The meta option kinds in one group version: upstream registers them in every group version, and client-go
   * sends DeleteOptions tagged with the resource's own (apps/v1, batch/v1, ...).
   */
  private registerOptionKinds(apiVersion: string): void {
    for (const kind of metaOptionKinds) this.protobuf.registerKind(apiVersion, kind, `io.k8s.apimachinery.pkg.apis.meta.v1.${kind}`);
  }

  private shared: SharedDefinitions = { openapiV3: {} };

  /** Definitions of shared types every group version's schemas may refer to (ObjectMeta, Status, Time, ...). */
  get sharedDefinitions(): SharedDefinitions {
    return this.shared;
  }

  addSharedDefinitions(defs: SharedDefinitions): void {
    this.shared = { openapiV3: { ...this.shared.openapiV3, ...defs.openapiV3 } };
    this.changed();
  }

  /** Adds (or replaces) a whole group version. */
  addGroupVersion(gv: GroupVersionRegistration): void {
    this.removeGroupVersion(gv.group, gv.version, false);
    this.groupVersions.set(gvString(gv), gv);
    this.registerOptionKinds(gvString(gv));
    for (const k of gv.kinds) {
      this.byResource.set(gvrKey(k.group, k.version, k.resource), k);
      this.byKind.set(gvkKey(k.group, k.version, k.kind), k);
      if (k.protobuf) {
        this.protobuf.registerKind(gvString(k), k.kind, k.openapiName);
        this.protobuf.registerKind(gvString(k), k.listKind, `${k.openapiName}List`);
      }
    }
    for (const k of gv.subresourceKinds ?? []) {
      this.byKind.set(gvkKey(k.group, k.version, k.kind), k);
      if (k.protobuf) this.protobuf.registerKind(gvString(k), k.kind, k.openapiName);
    }
    this.changed();
  }

  removeGroupVersion(group: string, version: string, notify = true): void {
    const existing = this.groupVersions.get(gvString({ group, version }));
    if (!existing) return;
    this.groupVersions.delete(gvString({ group, version }));
    for (const k of existing.kinds) {
      this.byResource.delete(gvrKey(k.group, k.version, k.resource));
      this.byKind.delete(gvkKey(k.group, k.version, k.kind));
    }
    for (const k of existing.subresourceKinds ?? []) this.byKind.delete(gvkKey(k.group, k.version, k.kind));
    if (notify) this.changed();
  }

  /** Called after every change to the set of kinds. Returns a function that unsubscribes. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Increases on every change: caches of derived documents compare it to know they are stale. */
  get version(): number {
    return this.generation;
  }

  kindForResource(group: string, version: string, resource: string): KindRegistration | undefined {
    return this.byResource.get(gvrKey(group, version, resource));
  }

  kindFor(group: string, version: string, kind: string): KindRegistration | undefined {
    return this.byKind.get(gvkKey(group, version, kind));
  }

  groupVersion(group: string, version: string): GroupVersionRegistration | undefined {
    return this.groupVersions.get(gvString({ group, version }));
  }

  /** All group versions; within a group, in the group's version priority. */
  allGroupVersions(): GroupVersionRegistration[] {
    return [...this.groupVersions.values()].sort((a, b) => {
      if (a.group !== b.group) return groupOrder(a.group) - groupOrder(b.group) || compareStrings(a.group, b.group);
      return a.versionPriority.indexOf(a.version) - a.versionPriority.indexOf(b.version);
    });
  }

  /** Group names in discovery order, core first. */
  groups(): string[] {
    return [...new Set(this.allGroupVersions().map((gv) => gv.group))];
  }

  /** Served versions of a group in preference order. */
  versionsOf(group: string): GroupVersionRegistration[] {
    return this.allGroupVersions().filter((gv) => gv.group === group);
  }

  /** The registration of the same kind in the group's storage version (the hub objects are stored in). */
  storageKindFor(k: KindRegistration): KindRegistration {
    const gv = this.groupVersion(k.group, k.version);
    const storageVersion = gv?.storageVersion ?? k.version;
    return this.kindFor(k.group, storageVersion, k.kind) ?? k;
  }

  private changed(): void {
    this.generation++;
    for (const l of this.listeners) l();
  }
}

// Upstream lists the legacy core group first; the rest follow registration order, which we make alphabetical.
function groupOrder(group: string): number {
  return group === '' ? 0 : 1;
}
