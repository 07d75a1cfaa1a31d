/**
 * Picking "the default" of a class kind (StorageClass, IngressClass), as upstream: the objects annotated as default,
 * the newest of them when there are several (ties broken by name).
 */
import type { StoredObject } from '../../storage/store.ts';
import { compareStrings } from '../../machinery/order.ts';

export function newestDefault(objects: readonly StoredObject[], annotations: readonly string[]): StoredObject | undefined {
  const defaults = objects.filter((o) => annotations.some((a) => o.metadata?.annotations?.[a] === 'true'));
  defaults.sort((a, b) => {
    const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
    if (ta !== tb) return tb - ta;
    return compareStrings(String(a.metadata?.name), String(b.metadata?.name));
  });
  return defaults[0];
}
