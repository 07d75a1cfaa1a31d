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

  /** The path upstream reports a field under, where it differs from the field's own (upstream's misspellings). */
  protected upstreamPath(field: string): string {
    return field;
  }

  override validate(obj: StoredObject): FieldError[] {
    return this.prefer(super.validate(obj), this.upstreamErrors(obj));
  }

  override validateUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    return this.prefer(super.validateUpdate(obj, old), this.upstreamErrors(obj, old));
  }

  private prefer(schema: FieldError[], upstream: FieldError[]): FieldError[] {
    const upstreamFields = new Set(upstream.map((e) => e.field));
    const coveredElsewhere = (e: FieldError) => {
      const at = this.upstreamPath(e.field);
      return at !== e.field && upstreamFields.has(at);
    };
    return preferUpstream(schema.filter((e) => !coveredElsewhere(e)), upstream, this.fieldOrder());
  }
}
