/**
 * A strategy whose hand-written validation (upstream's, rule for rule) is the word on every field it checks. The
 * generated schema checks also speak of some of those fields (required ones, enums in declaration order, values
 * printed as JSON where Go prints structs); where both do, the client sees upstream's error once, in upstream's
 * order, not the schema's as well. Fields only the schema checks keep the schema's errors.
 */
import { preferUpstream, type FieldError } from '../../machinery/field-errors.ts';
import type { StoredObject } from '../../storage/store.ts';
import { DefaultStrategy } from '../strategy.ts';

export abstract class UpstreamValidatedStrategy extends DefaultStrategy {
  /** Upstream's validation of the object (`old` on update). */
  protected abstract upstreamErrors(obj: StoredObject, old?: StoredObject): FieldError[];

  override validate(obj: StoredObject): FieldError[] {
    return preferUpstream(super.validate(obj), this.upstreamErrors(obj), this.fieldOrder());
  }

  override validateUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    return preferUpstream(super.validateUpdate(obj, old), this.upstreamErrors(obj, old), this.fieldOrder());
  }
}
