/** Writing a CRD's status the way upstream's controllers do: through /status, giving up on conflicts and 404s. */
import { StatusError } from '../../machinery/status.ts';
import { systemContext, type RegistryStore } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';

/**
 * Updates the status (`crd` carries the resourceVersion it was computed from). Returns the stored object, or
 * undefined when the CRD changed or went meanwhile: its next watch event brings the controller back.
 */
export async function updateStatus(statusStore: RegistryStore, crd: StoredObject): Promise<StoredObject | undefined> {
  try {
    return (await statusStore.update(systemContext(), crd.metadata.name, crd)).obj;
  } catch (e) {
    if (e instanceof StatusError && (e.code === 409 || e.code === 404)) return undefined;
    throw e;
  }
}
