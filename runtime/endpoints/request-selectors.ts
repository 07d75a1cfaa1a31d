/**
 * The field and label selectors a list, watch or deletecollection is limited by, parsed when first read and then
 * kept: the authorizers (upstream's GetFieldSelector and GetLabelSelector on the attributes) and the list handler
 * share one parse, and a selector nothing reads before the handler (RBAC reads none) is parsed there alone. A class,
 * so each request's selectors are one small object and no closures.
 */
import { parseFieldSelector, parseLabelSelector, type FieldSelector, type LabelSelector } from '../machinery/selectors.ts';

export class RequestSelectors {
  #field: FieldSelector | Error | undefined;
  #label: LabelSelector | Error | undefined;

  /** The raw `fieldSelector` and `labelSelector` of the query ('' when not given). */
  constructor(
    readonly rawField: string,
    readonly rawLabel: string,
  ) {}

  /** The field selector (empty when none); throws its parse error, at every read. */
  field(): FieldSelector {
    return settled((this.#field ??= attempt(parseFieldSelector, this.rawField)));
  }

  /** The label selector (empty when none); throws its parse error, at every read. */
  label(): LabelSelector {
    return settled((this.#label ??= attempt(parseLabelSelector, this.rawLabel)));
  }
}

function attempt<S>(parse: (raw: string) => S, raw: string): S | Error {
  try {
    return parse(raw);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

function settled<S>(parsed: S | Error): S {
  if (parsed instanceof Error) throw parsed;
  return parsed;
}
