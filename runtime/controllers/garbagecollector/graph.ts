/**
 * The dependency graph of the garbage collector (upstream's graph.go): one node per object uid, linked to the nodes
 * of the objects that name it in their `metadata.ownerReferences` (its dependents). A node is "virtual" while only
 * a dependent's reference vouches for it; it becomes observed when a monitor sees the object itself.
 *
 * Only the graph builder changes the graph, always synchronously between two awaits, so workers that read it in
 * between see a consistent picture (Node's single thread takes the place of upstream's locks).
 */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Where an object lives and which one it is: an owner reference's coordinates plus a namespace. */
export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  /** '' for cluster-scoped objects (and for virtual owners referenced from cluster-scoped dependents). */
  namespace: string;
}

/** Upstream's `objectReference.String()`, used in log lines and event messages. */
export function describe(id: ObjectIdentity): string {
  return `[${id.apiVersion}/${id.kind}, namespace: ${id.namespace}, name: ${id.name}, uid: ${id.uid}]`;
}

export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && a.uid === b.uid && a.namespace === b.namespace;
}

/** A string key for an identity (the absent-owner cache and de-duplication use it). */
export function identityKey(id: ObjectIdentity): string {
  return JSON.stringify([id.apiVersion, id.kind, id.namespace, id.name, id.uid]);
}

/** The identity an owner reference gives its owner, seen from a dependent in `namespace`. */
export function ownerIdentity(ref: OwnerReference, namespace: string): ObjectIdentity {
  return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace };
}

/** Whether a reference names the owner by the same apiVersion, kind, name and uid. */
export function referenceMatches(ref: OwnerReference, id: ObjectIdentity): boolean {
  return ref.uid === id.uid && ref.name === id.name && ref.kind === id.kind && ref.apiVersion === id.apiVersion;
}

export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  /** The object's owner references as last observed (none for virtual nodes). */
  owners: OwnerReference[] = [];
  /** True until an informer event for the object itself is seen. */
  virtual: boolean;
  /** The object has a deletionTimestamp: nothing is done to it but waiting for it to go. */
  beingDeleted = false;
  /** Being deleted in the foreground: the node waits for its blocking dependents before its finalizer goes. */
  deletingDependents = false;

  constructor(
    public identity: ObjectIdentity,
    opts: { virtual?: boolean; owners?: OwnerReference[]; beingDeleted?: boolean; deletingDependents?: boolean } = {},
  ) {
    this.virtual = opts.virtual ?? false;
    this.owners = opts.owners ?? [];
    this.beingDeleted = opts.beingDeleted ?? false;
    this.deletingDependents = opts.deletingDependents ?? false;
  }

  /** Dependents whose reference to this node has `blockOwnerDeletion: true`: foreground deletion waits for them. */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((d) => d.owners.some((r) => r.uid === this.identity.uid && r.blockOwnerDeletion === true));
  }
}

/** The graph itself: nodes by uid. */
export class Graph {
  private readonly nodes = new Map<string, GraphNode>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  set(node: GraphNode): void {
    this.nodes.set(node.identity.uid, node);
  }

  delete(uid: string): void {
    this.nodes.delete(uid);
  }

  /** Every node, in no particular order. */
  all(): IterableIterator<GraphNode> {
    return this.nodes.values();
  }

  /** Takes `node` out of the dependents of each of `owners` in the graph. */
  unlinkFromOwners(node: GraphNode, owners: OwnerReference[]): void {
    for (const ref of owners) this.nodes.get(ref.uid)?.dependents.delete(node);
  }
}

/** Owner references added, removed, and changed (same uid, other content) between two versions of an object. */
export function referencesDiff(oldRefs: OwnerReference[], newRefs: OwnerReference[]): { added: OwnerReference[]; removed: OwnerReference[]; changed: { old: OwnerReference; new: OwnerReference }[] } {
  const oldByUid = new Map(oldRefs.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: { old: OwnerReference; new: OwnerReference }[] = [];
  for (const r of newRefs) {
    const o = oldByUid.get(r.uid);
    if (!o) added.push(r);
    else {
      if (!sameReference(o, r)) changed.push({ old: o, new: r });
      oldByUid.delete(r.uid);
    }
  }
  return { added, removed: [...oldByUid.values()], changed };
}

function sameReference(a: OwnerReference, b: OwnerReference): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && a.uid === b.uid && a.controller === b.controller && a.blockOwnerDeletion === b.blockOwnerDeletion;
}

/**
 * Splits dependents by whether their reference to the owner's uid agrees with `owner`'s coordinates (a namespaced
 * owner must also share the dependent's namespace). A dependent with several references to the uid can be in both.
 */
export function partitionDependents(dependents: Iterable<GraphNode>, owner: ObjectIdentity): { matching: GraphNode[]; nonmatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonmatching: GraphNode[] = [];
  for (const dep of dependents) {
    let match = false;
    let mismatch = false;
    if (owner.namespace && owner.namespace !== dep.identity.namespace) mismatch = true;
    else {
      for (const ref of dep.owners) {
        if (ref.uid !== owner.uid) continue;
        if (referenceMatches(ref, owner)) match = true;
        else mismatch = true;
      }
    }
    if (match) matching.push(dep);
    if (mismatch) nonmatching.push(dep);
  }
  return { matching, nonmatching };
}

function lessThan(a: ObjectIdentity, b: ObjectIdentity): boolean {
  for (const k of ['kind', 'apiVersion', 'namespace', 'name', 'uid'] as const) if (a[k] !== b[k]) return a[k] < b[k];
  return false;
}

/**
 * Another identity the dependents give an owner uid that was verified absent under `absent`: the first (in a fixed
 * order) after `absent`, else the first overall, so every claimed identity gets checked in turn.
 */
export function alternateOwnerIdentity(dependents: Iterable<GraphNode>, absent: ObjectIdentity): ObjectIdentity | undefined {
  const clusterScoped = !absent.namespace;
  const seen = new Set([identityKey(absent)]);
  let first: ObjectIdentity | undefined;
  let following: ObjectIdentity | undefined;
  for (const dep of dependents) {
    for (const ref of dep.owners) {
      if (ref.uid !== absent.uid) continue;
      if (referenceMatches(ref, absent) && (clusterScoped || absent.namespace === dep.identity.namespace)) continue;
      const id = ownerIdentity(ref, dep.identity.namespace);
      if (clusterScoped && id.apiVersion === absent.apiVersion && id.kind === absent.kind) id.namespace = '';
      const key = identityKey(id);
      if (seen.has(key)) continue;
      seen.add(key);
      if (!first || lessThan(id, first)) first = id;
      if (lessThan(absent, id) && (!following || lessThan(id, following))) following = id;
    }
  }
  return following ?? first;
}
