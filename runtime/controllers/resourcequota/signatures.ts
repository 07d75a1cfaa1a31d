/**
 * The last replenish signature (see `Evaluator.replenishSignature`) of each object of one kind, by namespace, so a
 * MODIFIED event from a raw watch (which carries no previous object) can tell whether the change can lower usage.
 * Holds only namespaces where a quota tracks the kind; the controller forgets a namespace when none does anymore.
 */
import type { StoredObject } from '../../storage/store.ts';

export class SignatureMemo {
  private readonly byNamespace = new Map<string, Map<string, string>>();

  constructor(private readonly signature: (obj: StoredObject) => string) {}

  /** Remembers the object's signature; true when it differs from the one remembered, or none was (it predates it). */
  remember(namespace: string, obj: StoredObject): boolean {
    let names = this.byNamespace.get(namespace);
    if (!names) this.byNamespace.set(namespace, (names = new Map()));
    const name = obj.metadata?.name ?? '';
    const signature = this.signature(obj);
    const before = names.get(name);
    names.set(name, signature);
    return before !== signature;
  }

  forget(namespace: string, name: string): void {
    const names = this.byNamespace.get(namespace);
    if (names?.delete(name) && !names.size) this.byNamespace.delete(namespace);
  }

  forgetNamespace(namespace: string): void {
    this.byNamespace.delete(namespace);
  }
}
