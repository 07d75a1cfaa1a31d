/**
 * The strategy of custom resources (upstream's customresource strategy): the generation starts at 1 and grows on
 * any change outside metadata; with a status subresource, main-resource writes keep the stored status (the
 * generic StatusStrategy does the converse on /status); updates must carry a resourceVersion; ObjectMeta is checked
 * as for every kind, then the version's schema. Field selectors know metadata.name (and metadata.namespace) plus
 * the version's `selectableFields`.
 */
import type { FieldError } from '../../machinery/field-errors.ts';
import { evaluateJSONPath, parseSimpleJSONPath, type PathSegment } from '../../machinery/jsonpath.ts';
import type { KindRegistration } from '../../machinery/registration.ts';
import type { ValidationOptions } from '../../machinery/validation-options.ts';
import { finalizerDeleteDependents, finalizerOrphanDependents } from '../../registry/deletion.ts';
import { ObjectMetaChecks, validateObjectMeta } from '../../registry/objectmeta.ts';
import type { Strategy } from '../../registry/strategy.ts';
import { validateScaleStatus } from './kind.ts';
import type { VersionSchema } from './schema.ts';
import { markDeleting } from '../../registry/strategy.ts';
import type { StoredObject } from '../../storage/store.ts';
import { jsonText } from '../../machinery/json-text.ts';

interface SelectableField {
  name: string;
  path: PathSegment[] | undefined;
}

/** Everything but metadata, for generation counting. */
function nonMetadata(obj: StoredObject): string {
  const { metadata: _meta, ...rest } = obj;
  return jsonText(rest);
}

function fieldValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return jsonText(v);
  return String(v);
}

const standardFinalizers = new Set(['kubernetes', finalizerOrphanDependents, finalizerDeleteDependents]);

/**
 * Custom resources accept any qualified finalizer name, but a name without a domain (no `/`) that is not one of the
 * standard ones draws a warning: for each finalizer the write adds (all of them on create), in sorted order, as
 * upstream walks a sorted set.
 */
function finalizerNameWarnings(obj: StoredObject, old?: StoredObject): string[] {
  const before = new Set<string>(old?.metadata?.finalizers ?? []);
  const added = [...new Set<string>(obj.metadata?.finalizers ?? [])].filter((f) => !before.has(f)).sort();
  return added
    .filter((f) => !f.includes('/') && !standardFinalizers.has(f))
    .map((f) => `metadata.finalizers: ${JSON.stringify(f)}: prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers`);
}

export class CustomResourceStrategy implements Strategy {
  readonly namespaced: boolean;
  readonly allowCreateOnUpdate = false;
  readonly allowUnconditionalUpdate = false;
  private readonly selectable: SelectableField[];

  constructor(
    readonly kind: KindRegistration,
    private readonly schema: Pick<VersionSchema, 'validateStatus'>,
    selectableFields: readonly { jsonPath: string }[] = [],
  ) {
    this.namespaced = kind.scope === 'Namespaced';
    this.selectable = selectableFields.map((f) => {
      let path: PathSegment[] | undefined;
      try {
        path = parseSimpleJSONPath(f.jsonPath);
      } catch {
        path = undefined; // a path the CRD validation let through but we cannot evaluate selects nothing
      }
      return { name: f.jsonPath.replace(/^\./, ''), path };
    });
  }

  /** Whether field selectors can use more than metadata (then predicates need the served version's view). */
  get hasSelectableFields(): boolean {
    return this.selectable.length > 0;
  }

  prepareForCreate(obj: StoredObject): void {
    if (this.kind.subresources.status) delete obj.status;
    obj.metadata.generation = 1;
  }

  prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    if (this.kind.subresources.status) {
      if (old.status !== undefined) obj.status = old.status;
      else delete obj.status;
    }
    const generation = old.metadata?.generation ?? 1;
    obj.metadata.generation = nonMetadata(obj) === nonMetadata(old) ? generation : generation + 1;
  }

  validate(obj: StoredObject): FieldError[] {
    return [...validateObjectMeta(obj.metadata ?? {}, { namespaced: this.namespaced, nameFormat: this.kind.nameFormat }), ...this.kind.validate(obj)];
  }

  /**
   * The registry's common checks (generateName held to a path segment, not to the name format), then upstream's
   * update validation of a custom resource, which checks ObjectMeta's update rules (again) and not the rest of it.
   */
  validateUpdate(obj: StoredObject, old: StoredObject, _opts?: ValidationOptions, warnings?: string[]): FieldError[] {
    const meta = new ObjectMetaChecks(obj.metadata ?? {}, this.namespaced, old.metadata ?? {});
    return [...meta.commonFields(), ...meta.objectMetaUpdate(), ...this.kind.validate(obj, old, undefined, warnings)];
  }

  /**
   * An update through /status (upstream's customresource statusStrategy, v1.32): ObjectMeta's update rules, then
   * the status, scale status, list types and rules as the version's schema checks them there.
   */
  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return [...meta.objectMetaUpdate(), ...this.schema.validateStatus(obj, old, validateScaleStatus(obj, this.kind.subresources.scale))];
  }

  warningsOnCreate(obj: StoredObject): string[] {
    return finalizerNameWarnings(obj);
  }

  warningsOnUpdate(obj: StoredObject, old: StoredObject): string[] {
    return finalizerNameWarnings(obj, old);
  }

  canonicalize(_obj: StoredObject): void {}

  ttlSeconds(_obj: StoredObject): number | undefined {
    return undefined;
  }

  selectableFields(obj: StoredObject): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.selectable) out[f.name] = f.path ? fieldValue(evaluateJSONPath(obj, f.path)) : '';
    return out;
  }

  beginDelete(obj: StoredObject): StoredObject | undefined {
    return obj.metadata?.finalizers?.length ? markDeleting(obj) : undefined;
  }
}
