/**
 * The strategy of apiextensions.k8s.io CustomResourceDefinitions, as upstream's registry/customresourcedefinition:
 * status is the controllers' (reset on create, kept on update, written through /status), the storage version is
 * always among `status.storedVersions`, `generation` counts spec changes, the schemas' free JSON values are
 * re-encoded as upstream's conversion leaves them (schema-json-values.ts), and every write is validated by
 * runtime/apiextensions/validation (structural schemas, CEL rules, names, versions, conversion). Deletes are
 * upstream's CRD REST.Delete's: the first one only marks the CRD for the CRD finalizer (see beginDelete).
 */
import type { FieldError } from '../../../machinery/field-errors.ts';
import { validateCustomResourceDefinition, validateCustomResourceDefinitionStatusUpdate, validateCustomResourceDefinitionUpdate } from '../../../apiextensions/validation/index.ts';
import { customResourceCleanupFinalizer, setCondition, type CustomResourceDefinition } from '../../../apiextensions/serving/types.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { checkRESTDeletePreconditions, defaultPropagationFinalizers, type DeleteOptions } from '../../deletion.ts';
import { nowTime, type ObjectMetaChecks } from '../../objectmeta.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import { normalizeSchemaJsonValues } from './schema-json-values.ts';

/** Adds the storage version to `status.storedVersions` when it is not there yet. Mutates `obj.status`. */
function recordStorageVersion(obj: StoredObject): void {
  const storage = (Array.isArray(obj.spec?.versions) ? obj.spec.versions : []).find((v: { storage?: unknown }) => v?.storage === true);
  if (!storage || typeof storage.name !== 'string') return;
  const stored: string[] = Array.isArray(obj.status?.storedVersions) ? obj.status.storedVersions : [];
  if (!stored.includes(storage.name)) obj.status = { ...(obj.status ?? {}), storedVersions: [...stored, storage.name] };
}

/** Where a version's OpenAPI schema sits: upstream checks it only with the schema rules ours reproduce, at its own paths. */
const insideVersionSchema = /^spec\.versions\[\d+\]\.schema\.openAPIV3Schema\b/;

/**
 * Errors of the generated schema come first; ours only add what they do not already say about a field. A schema
 * enum's complaint about an empty string is left out where ours speak of the field: Go's string is "" when the
 * field is absent, and upstream's validation, which has no enum check of its own, says Required there. Nothing
 * the generated schema says inside a version's OpenAPI schema is kept (an x-kubernetes-validations reason outside
 * its enum would be reported twice): upstream's rules for it are ours, with the internal version's paths.
 */
function merged(schemaErrors: FieldError[], ours: FieldError[]): FieldError[] {
  const oursFields = new Set(ours.map((e) => e.field));
  const schema = schemaErrors.filter(
    (e) => !(e.type === 'FieldValueNotSupported' && e.badValue === '' && oursFields.has(e.field)) && !insideVersionSchema.test(e.field),
  );
  const seen = new Set(schema.map((e) => `${e.type}\0${e.field}`));
  // The name's own rule (plural.group) is upstream's name validation function: its error follows the generic
  // name errors, ahead of the other metadata's, and is no repeat of them.
  const isName = (e: FieldError) => e.field === 'metadata.name';
  const at = schema.reduce((after, e, i) => (isName(e) ? i + 1 : after), 0);
  return [...schema.slice(0, at), ...ours.filter(isName), ...schema.slice(at), ...ours.filter((e) => !isName(e) && !seen.has(`${e.type}\0${e.field}`))];
}

export class CustomResourceDefinitionStrategy extends DefaultStrategy {
  // Upstream refuses an update without a resourceVersion: controllers and users race on CRDs.
  override readonly allowUnconditionalUpdate = false;

  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    // The status starts empty (the naming and establishing controllers fill it); the storage version is stored.
    obj.status = { acceptedNames: { kind: '', plural: '' } };
    recordStorageVersion(obj);
    normalizeSchemaJsonValues(obj);
  }

  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    if (obj.status !== undefined) obj.status = structuredClone(obj.status);
    recordStorageVersion(obj);
    normalizeSchemaJsonValues(obj);
  }

  override validate(obj: StoredObject): FieldError[] {
    return merged(super.validate(obj), validateCustomResourceDefinition(obj));
  }

  override validateUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    return merged(super.validateUpdate(obj, old), validateCustomResourceDefinitionUpdate(obj, old));
  }

  /**
   * Writes through /status: the metadata's update rules (upstream's ValidateObjectMetaUpdate; the common metadata
   * checks come first, StatusStrategy) and the accepted names are checked, not the spec (which they cannot change).
   */
  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return merged(
      [
        ...meta.objectMetaUpdate(),
        ...this.kind.validate(obj, old),
      ],
      validateCustomResourceDefinitionStatusUpdate(obj),
    );
  }

  /**
   * Upstream's CRD REST.Delete: the first delete stores the CRD with a deletionTimestamp (no grace period and no new
   * generation: it writes storage directly, past the generic store's marking), the cleanup finalizer and the
   * Terminating condition, and answers 200 with it; the CRD finalizer then deletes its objects and removes the
   * finalizer, which lets it go. A CRD is created without the finalizer. Later deletes are the generic store's.
   */
  override beginDelete(obj: StoredObject): StoredObject | undefined {
    if (obj.metadata.deletionTimestamp) return super.beginDelete(obj);
    const crd = obj as CustomResourceDefinition;
    crd.metadata.deletionTimestamp = nowTime();
    const finalizers = (crd.metadata.finalizers ??= []);
    if (!finalizers.includes(customResourceCleanupFinalizer)) finalizers.push(customResourceCleanupFinalizer);
    setCondition(crd, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionPending', message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon' });
    return crd;
  }

  /** REST.Delete checks the preconditions itself, on every delete, in its own words. */
  checkDeletePreconditions(obj: StoredObject, opts: DeleteOptions): void {
    checkRESTDeletePreconditions({ group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }, obj, opts);
  }

  /** The first delete writes only the mark, the finalizer and the condition: no garbage collector finalizer. */
  propagationFinalizers(obj: StoredObject, opts: DeleteOptions): string[] {
    return obj.metadata.deletionTimestamp ? defaultPropagationFinalizers(this, obj, opts) : (obj.metadata.finalizers ?? []);
  }
}

registerStrategy('apiextensions.k8s.io', 'CustomResourceDefinition', (kind, schema, config) => new CustomResourceDefinitionStrategy(kind, schema, config));
