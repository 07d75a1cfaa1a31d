/**
 * The updater (upstream's merge/update.go): keeps field ownership across updates and applies, finds conflicts,
 * and prunes fields an applier stopped setting when nobody else owns them.
 *
 * Simplified: managed sets are compared in the version of the request only. Upstream converts the objects to each
 * manager's API version before comparing; here a manager recorded in another version is compared as if its paths
 * were in this one (true for every kind whose versions share field names).
 */
import type { FieldSet, ManagedFields, Path } from './fieldpath.ts';
import { pathToString } from './fieldpath.ts';
import type { TypedValue } from './typed.ts';

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
export function update(_live: TypedValue, _newObj: TypedValue, _version: string, _managers: ManagedFields, _manager: string, _options: UpdateOptions = {}): UpdateResult {
  throw new Error('not implemented');
}

/** An apply: merges `config` into `live`, checks conflicts (throws Conflicts unless `force`), prunes. */
export function apply(_live: TypedValue, _config: TypedValue, _version: string, _managers: ManagedFields, _manager: string, _force: boolean, _options: UpdateOptions = {}): UpdateResult {
  throw new Error('not implemented');
}
