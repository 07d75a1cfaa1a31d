/**
 * The metadata of embedded resources (`x-kubernetes-embedded-resource`), as upstream's decoder reads it
 * (objectmeta.Coerce, which the custom resource decoder runs after pruning): each embedded object's `metadata` is
 * read into a metav1.ObjectMeta, and when that fails the body is refused with a field error naming the metadata and
 * its value as Go prints an `interface {}` (`%#v` of a map, `%q` of a string).
 */
import { objectMetaDecodeError } from '../../machinery/godecode/index.ts';
import { goQuote, goSyntax } from '../../machinery/strategicpatch/gofmt.ts';
import { additionalOf, isObject, itemsOf, type JSONSchemaProps } from './structural.ts';

/** The first embedded resource's metadata error in `obj` (the root's own metadata is checked elsewhere). */
export function embeddedMetadataError(obj: unknown, schema: JSONSchemaProps | undefined): string | undefined {
  return walk(obj, schema, '');
}

function walk(x: unknown, s: JSONSchemaProps | undefined, path: string): string | undefined {
  if (!s) return undefined;
  if (Array.isArray(x)) {
    const items = itemsOf(s);
    for (let i = 0; i < x.length; i++) {
      const err = walk(x[i], items, `${path}[${i}]`);
      if (err) return err;
    }
    return undefined;
  }
  if (!isObject(x)) return undefined;
  if (s['x-kubernetes-embedded-resource'] === true && path !== '' && Object.hasOwn(x, 'metadata')) {
    const err = objectMetaDecodeError(x.metadata);
    if (err) return `${path}.metadata: Invalid value: ${badValue(x.metadata)}: ${err}`;
  }
  const additional = additionalOf(s);
  for (const k of Object.keys(x)) {
    const prop = s.properties && Object.hasOwn(s.properties, k) ? s.properties[k] : undefined;
    // A map's values are named by key (`spec.templates[a]`), an object's properties by name.
    const err = prop ? walk(x[k], prop, path ? `${path}.${k}` : k) : additional ? walk(x[k], additional, `${path}[${k}]`) : undefined;
    if (err) return err;
  }
  return undefined;
}

/** A field error's `interface {}` value: `%v` of numbers and booleans, `%q` of strings, `%#v` of the rest. */
function badValue(v: unknown): string {
  if (v === null || v === undefined) return '"null"';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return goSyntax(v);
}
