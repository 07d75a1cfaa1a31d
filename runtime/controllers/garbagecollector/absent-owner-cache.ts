/**
 * Owners the API said do not exist (upstream's ReferenceCache, 500 entries): a bounded, least-recently-used set of
 * identities, so the dependents of one deleted owner do not each cost a lookup. Uids never come back, so an entry
 * never goes stale; it only falls out when newer ones push it.
 */
import { identityKey, type ObjectIdentity } from './graph.ts';

export class AbsentOwnerCache {
  private readonly entries = new Set<string>();

  constructor(private readonly max = 500) {}

  add(id: ObjectIdentity): void {
    const key = identityKey(id);
    this.entries.delete(key);
    this.entries.add(key);
    if (this.entries.size > this.max) this.entries.delete(this.entries.values().next().value!);
  }

  has(id: ObjectIdentity): boolean {
    const key = identityKey(id);
    if (!this.entries.has(key)) return false;
    // Refresh its place, as a read of an LRU does.
    this.entries.delete(key);
    this.entries.add(key);
    return true;
  }
}
