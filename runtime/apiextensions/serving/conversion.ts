/**
 * The conversion plug-in point: how objects of a CRD move between its versions. Serving stores every object in
 * the storage version and serves it in the version of the request, calling the CRD's converter whenever the two
 * differ (on writes, reads, lists and watch events).
 *
 * A converter gets a batch of objects (each with its own `apiVersion`, never already the target) and returns them
 * in `toAPIVersion`, in the same order. It may throw: a StatusError goes to the client as it is, anything else as
 * 500. `None` (upstream's default strategy) only rewrites `apiVersion`; other strategies (`Webhook`) are plugged in
 * with `registerConversionStrategy`.
 */
import type { Cancellation } from '../../machinery/cancellation.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { CustomResourceDefinition } from './types.ts';

export type Converter = (objects: StoredObject[], toAPIVersion: string, opts?: ConvertOptions) => Promise<StoredObject[]>;

export interface ConvertOptions {
  /** The request the conversion is for (absent for the server's own reads): a webhook's call stops with it. */
  cancellation?: Cancellation;
}

/** Builds the converter of one CRD (called when the CRD is installed or changes). */
export type ConverterFactory = (crd: CustomResourceDefinition) => Converter;

/** `None`: the objects are the same in every version; only `apiVersion` changes. */
export const noneConverter: ConverterFactory = () => async (objects, toAPIVersion) => objects.map((o) => ({ ...o, apiVersion: toAPIVersion }));

const strategies = new Map<string, ConverterFactory>([['None', noneConverter]]);

/** Plugs in a conversion strategy by its `spec.conversion.strategy` name (e.g. `Webhook`). */
export function registerConversionStrategy(strategy: string, factory: ConverterFactory): void {
  strategies.set(strategy, factory);
}

/** The converter of a CRD, or an error saying why it has none. */
export function converterFor(crd: CustomResourceDefinition): Converter {
  const name = crd.spec.conversion?.strategy ?? 'None';
  const factory = strategies.get(name);
  if (!factory) throw new Error(`conversion strategy "${name}" of ${crd.metadata.name} is not supported by this server`);
  return factory(crd);
}

/** Whether a CRD's conversion only rewrites apiVersion (so it can run synchronously, e.g. in predicates). */
export function isNoneConversion(crd: CustomResourceDefinition): boolean {
  return (crd.spec.conversion?.strategy ?? 'None') === 'None';
}
