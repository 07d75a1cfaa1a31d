/**
 * The updater (upstream's merge/update.go): keeps field ownership across updates and applies, finds conflicts,
 * and prunes fields an applier stopped setting when nobody else owns them.
 *
 * Simplified: managed sets are compared in the version of the request only. Upstream converts the objects to each
 * manager's API version before comparing; here a manager recorded in another version is compared as if its paths
 * were in this one (true for every kind whose versions share field names).
 */
import { FieldSet, pathToString, type ManagedFields, type Path, type PathElement, type VersionedSet } from './fieldpath.ts';
import { deduced, type Atom } from './schema.ts';
import { removeItemsKeepingEmptied, type Comparison, type TypedValue } from './typed.ts';
import { equalValues } from './value.ts';

export interface Conflict {
  manager: string;
  path: Path;
}

/** Apply conflicts with other managers; `message` is upstream's (merge.Conflicts) text. */
export class Conflicts extends Error {
  override name = 'Conflicts';
  constructor(readonly conflicts: Conflict[]) {
    super(conflictsMessage(conflicts));
  }
}

function conflictsMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) return `conflict with ${JSON.stringify(conflicts[0].manager)}: ${pathToString(conflicts[0].path)}`;
  const byManager = new Map<string, Path[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.path]);
  const lines: string[] = [];
  for (const m of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${JSON.stringify(m)}:`);
    for (const p of byManager.get(m)!) lines.push(`- ${pathToString(p)}`);
  }
  return lines.join('\n');
}

export interface UpdateOptions {
  /** Fields nobody may own in this version (upstream's IgnoredFields: e.g. `.status` on the main resource). */
  ignored?: FieldSet;
}

export interface UpdateResult {
  /** The object to store: for apply, the merged and pruned object; for update, the new object. */
  object: TypedValue;
  managers: ManagedFields;
  /** False when apply changed nothing in the object (upstream returns no object then). */
  changed: boolean;
}

/** A non-apply write: the writer takes every field it changed; others lose what it changed or removed. */
export function update(live: TypedValue, newObj: TypedValue, version: string, managers: ManagedFields, manager: string, options: UpdateOptions = {}): UpdateResult {
  const { managers: next, compare } = updateManagers(live, newObj, reconcileWithSchema(managers, live.type.atom), manager, true, options);
  const mine = next.get(manager)?.set ?? new FieldSet();
  let set = mine.difference(compare.removed).union(compare.modified).union(compare.added);
  if (options.ignored) set = set.recursiveDifference(options.ignored);
  if (set.isEmpty()) next.delete(manager);
  else next.set(manager, { set, apiVersion: version, applied: false });
  return { object: newObj, managers: next, changed: !equalValues(live.value, newObj.value) };
}

/** An apply: merges `config` into `live`, checks conflicts (throws Conflicts unless `force`), prunes. */
export function apply(live: TypedValue, config: TypedValue, version: string, managers: ManagedFields, manager: string, force: boolean, options: UpdateOptions = {}): UpdateResult {
  let merged = live.merge(config);
  const next = reconcileWithSchema(managers, live.type.atom);
  const lastSet = next.get(manager);
  let set = config.toFieldSet();
  if (options.ignored) set = set.recursiveDifference(options.ignored);
  next.set(manager, { set, apiVersion: version, applied: true });
  merged = prune(merged, next, lastSet, set);
  const result = updateManagers(live, merged, next, manager, force, options);
  return { object: merged, managers: result.managers, changed: !equalValues(live.value, merged.value) };
}

/**
 * A copy of the managers whose sets follow the schema as it is now: a part that became atomic since a set was
 * recorded (a CRD changed a list or map type) is owned whole, not by its former children (upstream's
 * ReconcileFieldSetWithSchema).
 */
export function reconcileWithSchema(managers: ManagedFields, atom: Atom): ManagedFields {
  const out: ManagedFields = new Map();
  for (const [m, vs] of managers) {
    const collapse: Path[] = [];
    findAtomicParents(vs.set, atom, false, [], collapse);
    if (collapse.length === 0) out.set(m, vs);
    else {
      const atomic = FieldSet.fromPaths(collapse);
      out.set(m, { ...vs, set: vs.set.recursiveDifference(atomic).union(atomic) });
    }
  }
  return out;
}

/** Collects the paths of atomic lists and maps that the set owns through their children rather than whole. */
function findAtomicParents(node: FieldSet | undefined, atom: Atom, ownedWhole: boolean, path: PathElement[], out: Path[]): void {
  if (atom.map) {
    const map = atom.map;
    // Free-form objects have no schema to reconcile with.
    if (map.fields.size === 0 && map.elementType?.atom === deduced) return;
    if (!ownedWhole && map.relationship === 'atomic') {
      if (node && !node.isEmpty()) out.push([...path]);
      return;
    }
    if (!node) return;
    for (const [id, { pe, set }] of node.children) {
      const t = pe.kind === 'field' ? (map.fields.get(pe.name)?.type.atom ?? map.elementType?.atom) : map.elementType?.atom;
      if (!t) continue;
      path.push(pe);
      findAtomicParents(set, t, node.members.has(id) && set.isEmpty(), path, out);
      path.pop();
    }
    return;
  }
  if (atom.scalar || !atom.list) return;
  const list = atom.list;
  if (!ownedWhole && list.relationship === 'atomic') {
    out.push([...path]);
    return;
  }
  if (!node) return;
  for (const [id, { pe, set }] of node.children) {
    path.push(pe);
    findAtomicParents(set, list.elementType.atom, node.members.has(id) && set.isEmpty(), path, out);
    path.pop();
  }
}

/**
 * What a write does to the other managers: a manager that owned a field the write changed or added conflicts with
 * it (an error unless forced; forced, it loses the field); every manager loses the fields the write removed.
 * Mutates and returns `managers` (a copy the caller made).
 */
function updateManagers(live: TypedValue, next: TypedValue, managers: ManagedFields, workflow: string, force: boolean, options: UpdateOptions): { managers: ManagedFields; compare: Comparison } {
  let compare = live.compare(next);
  if (options.ignored && !options.ignored.isEmpty()) {
    const ignored = options.ignored;
    compare = { added: compare.added.recursiveDifference(ignored), modified: compare.modified.recursiveDifference(ignored), removed: compare.removed.recursiveDifference(ignored) };
  }
  const changed = compare.modified.union(compare.added);
  const conflicts = new Map<string, FieldSet>();
  for (const [manager, vs] of managers) {
    if (manager === workflow) continue;
    const conflict = vs.set.intersection(changed);
    if (!conflict.isEmpty()) conflicts.set(manager, conflict);
  }
  if (!force && conflicts.size > 0) {
    const list: Conflict[] = [];
    for (const [manager, set] of conflicts) for (const path of set.paths()) list.push({ manager, path });
    throw new Conflicts(list);
  }
  const removed = compare.removed;
  for (const [manager, vs] of managers) {
    if (manager === workflow) continue;
    let set = vs.set;
    const conflict = conflicts.get(manager);
    if (conflict) set = set.difference(conflict);
    if (!removed.isEmpty()) set = set.difference(removed);
    if (set !== vs.set) managers.set(manager, { ...vs, set });
  }
  for (const [manager, vs] of managers) if (vs.set.isEmpty()) managers.delete(manager);
  return { managers, compare };
}

/**
 * Removes what the applier stopped applying (in `lastSet`, not in its new set) unless another manager owns it,
 * keeping a map-list item while anyone owns a field of it (upstream's prune, addBackOwnedItems and
 * addBackDanglingItems, in the request's version only).
 */
function prune(merged: TypedValue, managers: ManagedFields, lastSet: VersionedSet | undefined, applied: FieldSet): TypedValue {
  if (!lastSet || lastSet.set.isEmpty()) return merged;
  // The common re-apply: nothing applied before is missing now, so nothing can be left unowned.
  if (lastSet.set.difference(applied).isEmpty()) return merged;
  const atom = merged.type.atom;
  const named = (s: FieldSet) => ensureNamedFieldsAreMembers(s, atom);
  let pruned = removeItemsKeepingEmptied(merged, named(lastSet.set));
  // Add back what any manager (the applier's new set included) still owns.
  let managed = new FieldSet();
  for (const vs of managers.values()) managed = managed.union(vs.set);
  const mergedSet = named(merged.toFieldSet());
  pruned = removeItemsKeepingEmptied(merged, mergedSet.difference(named(pruned.toFieldSet()).union(named(managed))));
  // Remove only what was applied before and is not back; emptied maps and lists go with their last entry.
  const prunedSet = named(pruned.toFieldSet());
  return merged.removeItems(mergedSet.difference(prunedSet).intersection(named(lastSet.set)));
}

/**
 * Adds the struct fields on the way to a path as members themselves, so removing a set removes a struct field's
 * whole value once none of its own fields are left (upstream's EnsureNamedFieldsAreMembers).
 */
function ensureNamedFieldsAreMembers(set: FieldSet, atom: Atom | undefined): FieldSet {
  const out = new FieldSet();
  for (const [id, pe] of set.members) out.members.set(id, pe);
  for (const [id, { pe, set: child }] of set.children) {
    let childAtom: Atom | undefined;
    if (pe.kind === 'field' && atom?.map) {
      const field = atom.map.fields.get(pe.name);
      if (field) {
        out.members.set(id, pe);
        childAtom = field.type.atom;
      } else childAtom = atom.map.elementType?.atom;
    } else if (pe.kind === 'key' && atom?.list) childAtom = atom.list.elementType.atom;
    out.children.set(id, { pe, set: ensureNamedFieldsAreMembers(child, childAtom) });
  }
  return out;
}

