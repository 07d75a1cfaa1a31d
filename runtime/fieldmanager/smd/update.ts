/**
 * The updater (upstream's merge/update.go): keeps field ownership across updates and applies, finds conflicts,
 * and prunes fields an applier stopped setting when nobody else owns them.
 *
 * Each manager's set is read in the API version its entry was recorded in: with a `converter`, the objects are
 * converted to that version before comparing (each version once per write), as upstream does; without one, or
 * when every entry is in the request's version, nothing is converted.
 */
import { FieldSet, pathToString, type ManagedFields, type Path, type PathElement, type VersionedSet } from './fieldpath.ts';
import { deduced, type Atom } from './schema.ts';
import { removeItemsKeepingEmptied, type Comparison, type TypedValue } from './typed.ts';
import { equalValues } from './value.ts';
import { VersionViews, type VersionConverter } from './versions.ts';

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
  /** Sees the objects in the versions other entries were recorded in; absent: every entry is read as this version's. */
  converter?: VersionConverter;
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
  const views = new VersionViews(version, options.converter);
  const { managers: next, compare } = updateManagers(live, newObj, reconcileInVersions(managers, live, views), manager, true, options, views);
  const mine = next.get(manager)?.set ?? new FieldSet();
  let set = mine.difference(compare.removed).union(compare.modified).union(compare.added);
  if (options.ignored) set = set.recursiveDifference(options.ignored);
  if (set.isEmpty()) next.delete(manager);
  else next.set(manager, { set, apiVersion: version, applied: false });
  return new UpdateOutcome(newObj, next, live);
}

/**
 * An update's result, whose `changed` is worked out when read: the field manager's updates never ask, and
 * comparing both objects whole on every write was a tenth of its ownership work. (A class: an object literal with
 * a getter is made by a slow runtime call, and its closure keeps update's variables in a context.)
 */
class UpdateOutcome implements UpdateResult {
  constructor(
    readonly object: TypedValue,
    readonly managers: ManagedFields,
    private readonly live: TypedValue,
  ) {}

  get changed(): boolean {
    return !equalValues(this.live.value, this.object.value);
  }
}

/** An apply: merges `config` into `live`, checks conflicts (throws Conflicts unless `force`), prunes. */
export function apply(live: TypedValue, config: TypedValue, version: string, managers: ManagedFields, manager: string, force: boolean, options: UpdateOptions = {}): UpdateResult {
  const views = new VersionViews(version, options.converter);
  let merged = live.merge(config);
  const next = reconcileInVersions(managers, live, views);
  const lastSet = next.get(manager);
  let set = config.toFieldSet();
  if (options.ignored) set = set.recursiveDifference(options.ignored);
  next.set(manager, { set, apiVersion: version, applied: true });
  merged = prune(merged, next, lastSet, set, views);
  const result = updateManagers(live, merged, next, manager, force, options, views);
  return { object: merged, managers: result.managers, changed: !equalValues(live.value, merged.value) };
}

/**
 * reconcileWithSchema for entries of any version: each set follows the schema of its own version. An entry of a
 * version the kind no longer has is dropped, as upstream drops it: it can no longer be compared.
 */
function reconcileInVersions(managers: ManagedFields, live: TypedValue, views: VersionViews): ManagedFields {
  const out: ManagedFields = new Map();
  for (const [m, vs] of managers) {
    const seen = views.of(live, vs.apiVersion);
    if (seen) out.set(m, reconcileSet(vs, seen.type.atom));
  }
  return out;
}

/**
 * A copy of the managers whose sets follow the schema as it is now: a part that became atomic since a set was
 * recorded (a CRD changed a list or map type) is owned whole, not by its former children (upstream's
 * ReconcileFieldSetWithSchema).
 */
export function reconcileWithSchema(managers: ManagedFields, atom: Atom): ManagedFields {
  const out: ManagedFields = new Map();
  for (const [m, vs] of managers) out.set(m, reconcileSet(vs, atom));
  return out;
}

function reconcileSet(vs: VersionedSet, atom: Atom): VersionedSet {
  const collapse: Path[] = [];
  findAtomicParents(vs.set, atom, false, [], collapse);
  if (collapse.length === 0) return vs;
  const atomic = FieldSet.fromPaths(collapse);
  return { ...vs, set: vs.set.recursiveDifference(atomic).union(atomic) };
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

/** `compare` without the fields nobody may own. */
function withoutIgnored(compare: Comparison, ignored: FieldSet | undefined): Comparison {
  if (!ignored || ignored.isEmpty()) return compare;
  return { added: compare.added.recursiveDifference(ignored), modified: compare.modified.recursiveDifference(ignored), removed: compare.removed.recursiveDifference(ignored) };
}

/**
 * What a write does to the other managers, each seen in its own version: a manager that owned a field the write
 * changed or added conflicts with it (an error unless forced; forced, it loses the field); every manager loses
 * the fields the write removed; a manager of a version the kind no longer has is dropped. Mutates and returns
 * `managers` (a copy the caller made); `compare` is the change in the request's version.
 */
function updateManagers(live: TypedValue, next: TypedValue, managers: ManagedFields, workflow: string, force: boolean, options: UpdateOptions, views: VersionViews): { managers: ManagedFields; compare: Comparison } {
  const compare = withoutIgnored(live.compare(next), options.ignored);
  // A create, or an object only its writer manages: no one else to conflict with or to lose fields.
  if (hasOtherManagers(managers, workflow)) takeFromOthers(live, next, managers, workflow, force, options, views, compare);
  for (const [manager, vs] of managers) if (vs.set.isEmpty()) managers.delete(manager);
  return { managers, compare };
}

function hasOtherManagers(managers: ManagedFields, workflow: string): boolean {
  for (const manager of managers.keys()) if (manager !== workflow) return true;
  return false;
}

/** updateManagers' part for the managers other than the writer (`workflow`): conflicts, then what they lose. */
function takeFromOthers(live: TypedValue, next: TypedValue, managers: ManagedFields, workflow: string, force: boolean, options: UpdateOptions, views: VersionViews, compare: Comparison): void {
  const byVersion = new Map<string, { compare: Comparison; changed: FieldSet } | null>([[views.requestVersion, { compare, changed: compare.modified.union(compare.added) }]]);
  const changesIn = (version: string) => {
    let seen = byVersion.get(version);
    if (seen === undefined) {
      const before = views.of(live, version);
      const after = before && views.of(next, version);
      // Reset fields are taken to be the same paths in every version (`.status`, `.spec`): ours never differ by version.
      const c = before && after ? withoutIgnored(before.compare(after), options.ignored) : null;
      seen = c && { compare: c, changed: c.modified.union(c.added) };
      byVersion.set(version, seen);
    }
    return seen;
  };
  const conflicts = new Map<string, FieldSet>();
  const removed = new Map<string, FieldSet>();
  for (const [manager, vs] of managers) {
    if (manager === workflow) continue;
    const changes = changesIn(vs.apiVersion);
    if (!changes) {
      managers.delete(manager);
      continue;
    }
    const conflict = vs.set.intersection(changes.changed);
    if (!conflict.isEmpty()) conflicts.set(manager, conflict);
    if (!changes.compare.removed.isEmpty()) removed.set(manager, changes.compare.removed);
  }
  if (!force && conflicts.size > 0) {
    const list: Conflict[] = [];
    for (const [manager, set] of conflicts) for (const path of set.paths()) list.push({ manager, path });
    throw new Conflicts(list);
  }
  for (const [manager, vs] of managers) {
    if (manager === workflow) continue;
    let set = vs.set;
    const conflict = conflicts.get(manager);
    if (conflict) set = set.difference(conflict);
    const gone = removed.get(manager);
    if (gone) set = set.difference(gone);
    if (set !== vs.set) managers.set(manager, { ...vs, set });
  }
}

/**
 * Removes what the applier stopped applying (in `lastSet`, not in its new set) unless another manager owns it,
 * keeping a map-list item while anyone owns a field of it (upstream's prune, addBackOwnedItems and
 * addBackDanglingItems). The removal is worked out in the version the applier last applied in, and what others
 * own is added back in each one's version, so a field applied through one version and left out through another
 * is still removed.
 */
function prune(merged: TypedValue, managers: ManagedFields, lastSet: VersionedSet | undefined, applied: FieldSet, views: VersionViews): TypedValue {
  if (!lastSet || lastSet.set.isEmpty()) return merged;
  const lastVersion = lastSet.apiVersion;
  // The common re-apply: nothing applied before is missing now, so nothing can be left unowned.
  if (lastVersion === views.requestVersion && lastSet.set.difference(applied).isEmpty()) return merged;
  const mergedLast = views.of(merged, lastVersion);
  if (!mergedLast) return merged;
  const namedIn = (tv: TypedValue) => (s: FieldSet) => ensureNamedFieldsAreMembers(s, tv.type.atom);
  let pruned = views.derived(mergedLast, removeItemsKeepingEmptied(mergedLast, namedIn(mergedLast)(lastSet.set)));
  // Add back what any manager (the applier's new set included) still owns, in the version it owns it in, the
  // last applied version first (a conversion may need what was pruned there).
  const owned = new Map<string, FieldSet>();
  for (const vs of managers.values()) owned.set(vs.apiVersion, (owned.get(vs.apiVersion) ?? new FieldSet()).union(vs.set));
  const versions = [...owned.keys()].sort((a, b) => Number(b === lastVersion) - Number(a === lastVersion));
  for (const version of versions) {
    const m = views.of(merged, version);
    const p = m && views.of(pruned, version);
    if (!m || !p) continue;
    const named = namedIn(m);
    pruned = views.derived(m, removeItemsKeepingEmptied(m, named(m.toFieldSet()).difference(named(p.toFieldSet()).union(named(owned.get(version)!)))));
  }
  // Remove only what was applied before and is not back; emptied maps and lists go with their last entry.
  const prunedLast = views.of(pruned, lastVersion);
  if (!prunedLast) return merged;
  const named = namedIn(mergedLast);
  const out = views.derived(mergedLast, mergedLast.removeItems(named(mergedLast.toFieldSet()).difference(named(prunedLast.toFieldSet())).intersection(named(lastSet.set))));
  return views.of(out, views.requestVersion) ?? merged;
}

/**
 * Adds the struct fields on the way to a path as members themselves, so removing a set removes a struct field's
 * whole value once none of its own fields are left (upstream's EnsureNamedFieldsAreMembers).
 */
function ensureNamedFieldsAreMembers(set: FieldSet, atom: Atom | undefined): FieldSet {
  const out = new FieldSet();
  for (const [id, pe] of set.members) out.setMember(id, pe);
  for (const [id, { pe, set: child }] of set.children) {
    let childAtom: Atom | undefined;
    if (pe.kind === 'field' && atom?.map) {
      const field = atom.map.fields.get(pe.name);
      if (field) {
        out.setMember(id, pe);
        childAtom = field.type.atom;
      } else childAtom = atom.map.elementType?.atom;
    } else if (pe.kind === 'key' && atom?.list) childAtom = atom.list.elementType.atom;
    out.setChild(id, { pe, set: ensureNamedFieldsAreMembers(child, childAtom) });
  }
  return out;
}

