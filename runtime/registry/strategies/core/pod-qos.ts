/**
 * A pod's quality-of-service class, as upstream's GetPodQOS computes it at create (container-level resources; the
 * pod-level resources of v1.32 are an alpha feature left off). Only cpu and memory count; zero quantities count
 * as unset; ephemeral containers cannot set resources.
 */
import { addQuantities, compareQuantities } from '../../../machinery/quantity.ts';
import type { StoredObject } from '../../../storage/store.ts';

const qosResources = new Set(['cpu', 'memory']);

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

export function podQOSClass(spec: StoredObject | undefined): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, string[]>();
  const limits = new Map<string, string[]>();
  let guaranteed = true;
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])] as Array<{ resources?: Resources }>;
  const collect = (list: Record<string, string> | undefined, into: Map<string, string[]>): Set<string> => {
    const found = new Set<string>();
    for (const [name, q] of Object.entries(list ?? {})) {
      if (!qosResources.has(name) || !positive(q)) continue;
      found.add(name);
      into.set(name, [...(into.get(name) ?? []), q]);
    }
    return found;
  };
  for (const c of containers) {
    collect(c.resources?.requests, requests);
    const limitsFound = collect(c.resources?.limits, limits);
    if (!limitsFound.has('cpu') || !limitsFound.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, qs] of requests) {
      const lim = limits.get(name);
      if (!lim || compareQuantities(addQuantities(lim), addQuantities(qs)) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

function positive(q: string): boolean {
  try {
    return compareQuantities(String(q), '0') > 0;
  } catch {
    return false;
  }
}
