/**
 * A kind's objects seen in another of its group's versions, for managedFields entries recorded there (upstream's
 * versionConverter): through the group's hub with the registry's converters, without defaulting, and shaped as Go
 * encodes that version's type. Custom resources with `None` conversion only change `apiVersion`.
 */
import { goShapes } from '../machinery/goshape.ts';
import type { KindRegistration } from '../machinery/registration.ts';
import { parseApiVersion, type Scheme } from '../machinery/scheme.ts';
import { MissingVersionError, typed, type TypedValue, type VersionConverter } from './smd/index.ts';
import type { TypeSource } from './type-source.ts';

type Obj = Record<string, unknown>;

/**
 * A deep copy of `value` without null object fields: Go decodes a null into its zero value, so a converted object
 * never has them, and our converters need not expect them (the updater's intermediate values carry some).
 */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}

/**
 * The converter of `kind` to its other versions, or undefined when they cannot be converted here: a custom
 * resource whose conversion is a webhook (its entries are then read as the request version's; upstream would
 * call the webhook).
 */
export function kindVersionConverter(kind: KindRegistration, scheme: Scheme, types: TypeSource): VersionConverter | undefined {
  if (kind.asyncConversion) return undefined;
  // Kinds are looked up per write: a CRD's versions change while its field managers are kept.
  const registration = (apiVersion: string): KindRegistration | undefined => {
    const { group, version } = parseApiVersion(apiVersion);
    return group === kind.group ? scheme.kindFor(group, version, kind.kind) : undefined;
  };
  return {
    convert(value: TypedValue, from: string, to: string): TypedValue {
      // Another group's entries (events.k8s.io Events stored as core Events) are read as they are.
      if (parseApiVersion(to).group !== kind.group) return value;
      const target = registration(to);
      if (!target) {
        // A CRD's versions that are not served are not in the scheme; their objects are the same but for apiVersion.
        if (!kind.builtIn) return value;
        throw new MissingVersionError(to);
      }
      const source = registration(from) ?? kind;
      const type = types.typeOf(target);
      const obj = value.value;
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return typed(obj, type);
      const converted = target.fromHub(source.toHub(withoutNulls(obj) as Obj)) as Obj;
      goShapes.forKind(to, kind.kind)?.encode(converted);
      return typed(converted, type);
    },
  };
}
