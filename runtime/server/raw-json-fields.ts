/** Which stored kinds have RawExtension fields, for the storage codec (storage/codec.ts). */
import { gvString, type Scheme } from '../machinery/scheme.ts';
import type { RawJsonFieldsOf } from '../storage/codec.ts';

/**
 * The RawExtension fields of the scheme's kinds, by kind then apiVersion: a stored object of any other kind costs one
 * failed map lookup. Rebuilt when the scheme changes.
 */
export function rawJsonFieldsOf(scheme: Scheme): RawJsonFieldsOf {
  let byKind: Map<string, Map<string, readonly string[]>> | undefined;
  scheme.onChange(() => (byKind = undefined));
  const build = () => {
    const m = new Map<string, Map<string, readonly string[]>>();
    for (const gv of scheme.allGroupVersions()) {
      for (const k of gv.kinds) {
        if (!k.rawJsonFields) continue;
        if (!m.has(k.kind)) m.set(k.kind, new Map());
        m.get(k.kind)!.set(gvString(k), k.rawJsonFields);
      }
    }
    return m;
  };
  return (apiVersion, kind) => {
    const versions = (byKind ??= build()).get(kind as string);
    return versions?.get(apiVersion as string);
  };
}
