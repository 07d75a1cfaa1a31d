/**
 * Where strategic merge patch learns how to merge a field: its patch strategies (`merge`, `replace`,
 * `retainKeys`) and merge key, as the `@patchStrategy`/`@patchMergeKey` tags of `apis/` declare them (the same
 * facts the generated OpenAPI publishes as `x-kubernetes-patch-strategy`/`-merge-key`).
 */
import type { PatchMeta as KindPatchMeta } from '../registration.ts';

export interface FieldPatchMeta {
  readonly strategies: readonly string[];
  readonly mergeKey: string;
}

/** The patch metadata of one object type. */
export interface PatchSchema {
  /**
   * Metadata of field `key` and the schema of its value (of its items when `list`). May throw (as a StatusError)
   * when the type cannot have that field.
   */
  field(key: string, list: boolean): { meta: FieldPatchMeta; schema: PatchSchema };
  /** What upstream names the type in errors about it (`struct`). */
  readonly name: string;
}

const noMeta: FieldPatchMeta = { strategies: [], mergeKey: '' };

/** A node of the field tree built from a kind's dotted-path table; fields with nothing below share `leaf`. */
class PathNode implements PatchSchema {
  readonly name = 'struct';
  readonly children = new Map<string, { meta: FieldPatchMeta; schema: PathNode }>();

  field(key: string): { meta: FieldPatchMeta; schema: PatchSchema } {
    return this.children.get(key) ?? leafField;
  }
}

const leaf = new PathNode();
const leafField = { meta: noMeta, schema: leaf };
const byTable = new WeakMap<object, PatchSchema>();

/**
 * The schema of a kind from its patch metadata table (`KindRegistration.patchMeta`, keyed by dotted field paths
 * through lists and maps). Built once per table; fields the table does not mention merge as plain JSON: maps
 * recursively, lists replaced.
 */
export function patchSchemaFromTable(table: Readonly<Record<string, KindPatchMeta>>): PatchSchema {
  const cached = byTable.get(table);
  if (cached) return cached;
  const root = new PathNode();
  for (const [path, m] of Object.entries(table)) {
    let node = root;
    const parts = path.split('.');
    parts.forEach((part, i) => {
      let child = node.children.get(part);
      if (!child) {
        child = { meta: noMeta, schema: new PathNode() };
        node.children.set(part, child);
      }
      if (i === parts.length - 1 && (m.strategy || m.mergeKey)) {
        child.meta = { strategies: m.strategy ? m.strategy.split(',') : [], mergeKey: m.mergeKey ?? '' };
      }
      node = child.schema;
    });
  }
  byTable.set(table, root);
  return root;
}
