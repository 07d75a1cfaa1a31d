/**
 * The strategy of a subresource the server writes through itself, where upstream's REST updates storage directly
 * (`pods/binding` sets spec.nodeName; an eviction adds the DisruptionTarget condition): the caller's mutation is
 * the whole write, with no strategy rules, no validation and no admission on top.
 */
import type { FieldError } from '../machinery/field-errors.ts';
import type { KindRegistration } from '../machinery/registration.ts';
import type { StoredObject } from '../storage/store.ts';
import type { Strategy } from './strategy.ts';

export class DirectWriteStrategy implements Strategy {
  readonly kind: KindRegistration;
  readonly namespaced: boolean;
  readonly allowCreateOnUpdate = false;
  readonly allowUnconditionalUpdate = true;
  readonly bypassesAdmission = true;

  constructor(
    private readonly main: Strategy,
    readonly subresource: string,
  ) {
    this.kind = { ...main.kind, verbs: ['update'] };
    this.namespaced = main.namespaced;
    this.returnDeletedObject = main.returnDeletedObject;
    this.garbageCollectionPolicy = main.garbageCollectionPolicy?.bind(main);
    this.checkGracefulDelete = main.checkGracefulDelete?.bind(main);
    this.propagationFinalizers = main.propagationFinalizers?.bind(main);
    this.checkDeletePreconditions = main.checkDeletePreconditions?.bind(main);
    this.afterDelete = main.afterDelete?.bind(main);
  }

  prepareForCreate(): void {
    throw new Error(`internal: create through ${this.subresource}`);
  }

  prepareForUpdate(): void {}

  validate(): FieldError[] {
    return [];
  }

  validateUpdate(): FieldError[] {
    return [];
  }

  canonicalize(): void {}

  ttlSeconds(obj: StoredObject): number | undefined {
    return this.main.ttlSeconds(obj);
  }

  selectableFields(obj: StoredObject): Record<string, string> {
    return this.main.selectableFields(obj);
  }

  beginDelete(obj: StoredObject): StoredObject | undefined {
    return this.main.beginDelete(obj);
  }

  // A delete through this store (an eviction's) follows the kind's own deletion rules; only admission is skipped.
  readonly returnDeletedObject?: boolean;
  readonly garbageCollectionPolicy?: Strategy['garbageCollectionPolicy'];
  readonly checkGracefulDelete?: Strategy['checkGracefulDelete'];
  readonly propagationFinalizers?: Strategy['propagationFinalizers'];
  readonly checkDeletePreconditions?: Strategy['checkDeletePreconditions'];
  readonly afterDelete?: Strategy['afterDelete'];
}
