/**
 * The configuration producer (upstream's `priority-and-fairness-config-producer` post-start hook): writes the
 * built-in objects. Mandatory ones are created when missing and their spec put back when changed; suggested ones
 * are created when missing and updated only while they are server-managed (`apf.kubernetes.io/autoupdate-spec`
 * is true, or, without a readable annotation, nobody has changed them since creation: generation 1).
 */
import type { FlowSchema } from '../../apis/flowcontrol.apiserver.k8s.io/v1/flowschema.ts';
import type { PriorityLevelConfiguration } from '../../apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfiguration.ts';
import { StatusError } from '../machinery/status.ts';
import { systemContext, type RegistryStore } from '../registry/store.ts';
import type { StoredObject } from '../storage/store.ts';
import { autoUpdateAnnotation, mandatoryFlowSchemas, mandatoryPriorityLevels, specEqual, suggestedFlowSchemas, suggestedPriorityLevels } from './bootstrap.ts';

type ConfigObject = FlowSchema | PriorityLevelConfiguration;

/** Go's strconv.ParseBool. */
function parseBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

function serverManaged(obj: StoredObject): boolean {
  const flag = parseBool(obj.metadata.annotations?.[autoUpdateAnnotation]);
  return flag ?? obj.metadata.generation === 1;
}

async function ensureOne(store: RegistryStore, boot: ConfigObject, mandatory: boolean): Promise<void> {
  const ctx = systemContext();
  const name = boot.metadata!.name!;
  let existing: StoredObject | undefined;
  try {
    existing = await store.get(ctx, name);
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
  }
  const wanted = structuredClone(boot) as unknown as StoredObject;
  wanted.metadata.annotations = { [autoUpdateAnnotation]: 'true' };
  if (!existing) {
    try {
      await store.create(ctx, wanted);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409)) throw e;
    }
    return;
  }
  if (!mandatory && !serverManaged(existing)) return;
  const annotated = existing.metadata.annotations?.[autoUpdateAnnotation] === 'true';
  if (annotated && specEqual((existing as unknown as ConfigObject).spec, boot.spec)) return;
  const updated = { ...existing, spec: structuredClone(boot.spec), metadata: { ...existing.metadata, annotations: { ...existing.metadata.annotations, [autoUpdateAnnotation]: 'true' } } } as StoredObject;
  try {
    await store.update(ctx, name, updated);
  } catch (e) {
    // A concurrent writer won; the next round looks again.
    if (!(e instanceof StatusError && (e.code === 409 || e.code === 404))) throw e;
  }
}

/** One round over every built-in object: priority levels first, so the schemas never dangle. */
export async function ensureAPFBootstrapConfiguration(stores: { flowSchemas: RegistryStore; priorityLevels: RegistryStore }): Promise<void> {
  for (const pl of mandatoryPriorityLevels) await ensureOne(stores.priorityLevels, pl, true);
  for (const pl of suggestedPriorityLevels) await ensureOne(stores.priorityLevels, pl, false);
  for (const fs of mandatoryFlowSchemas) await ensureOne(stores.flowSchemas, fs, true);
  for (const fs of suggestedFlowSchemas) await ensureOne(stores.flowSchemas, fs, false);
}
