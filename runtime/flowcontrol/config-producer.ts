/**
 * The configuration producer (upstream's `priority-and-fairness-config-producer` post-start hook): writes the
 * built-in objects. Mandatory ones are created when missing and their spec put back when changed; suggested ones
 * are created when missing and updated only while they are server-managed (`apf.kubernetes.io/autoupdate-spec`
 * is true, or, without a readable annotation, nobody has changed them since creation: generation 1). The annotation
 * is then written to say which (`false` for an object an admin took over). Objects the server once wrote
 * (annotated true) that are no longer built in are deleted.
 */
import type { FlowSchema } from '../../apis/flowcontrol.apiserver.k8s.io/v1/flowschema.ts';
import type { PriorityLevelConfiguration } from '../../apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfiguration.ts';
import { StatusError } from '../machinery/status.ts';
import { systemContext, type RegistryStore } from '../registry/store.ts';
import type { StoredObject } from '../storage/store.ts';
import { autoUpdateAnnotation, mandatoryFlowSchemas, mandatoryPriorityLevels, priorityLevelSpecIsBuiltIn, specEqual, suggestedFlowSchemas, suggestedPriorityLevels } from './bootstrap.ts';

type ConfigObject = FlowSchema | PriorityLevelConfiguration;

/** Who the producer's writes are recorded for in managedFields (upstream's ensurer fieldManager). */
const producerFieldManager = 'api-priority-and-fairness-config-producer-v1';
const producerContext = () => ({ ...systemContext(), fieldManager: producerFieldManager });

/** Go's strconv.ParseBool. */
function parseBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

const annotationOf = (obj: StoredObject) => parseBool(obj.metadata.annotations?.[autoUpdateAnnotation]);

function serverManaged(obj: StoredObject): boolean {
  return annotationOf(obj) ?? obj.metadata.generation === 1;
}

/**
 * Whether the stored spec is the built-in one. The `exempt` level's `spec.exempt` belongs to the admin (see
 * priorityLevelSpecIsBuiltIn), as long as it is there.
 */
function specIsBuiltIn(existing: StoredObject, boot: ConfigObject): boolean {
  const name = boot.metadata!.name!;
  if (boot.kind !== 'PriorityLevelConfiguration') return specEqual(existing.spec, boot.spec);
  if (name === 'exempt' && !existing.spec?.exempt) return false;
  return priorityLevelSpecIsBuiltIn(name, existing.spec, (boot as PriorityLevelConfiguration).spec!);
}

/** What `existing` must become (upstream's ReviseIfNeeded), or undefined when it is as it should be. */
function revise(existing: StoredObject, boot: ConfigObject, mandatory: boolean): StoredObject | undefined {
  const autoUpdate = mandatory || serverManaged(existing);
  const annotationStale = annotationOf(existing) !== autoUpdate;
  const specStale = autoUpdate && !specIsBuiltIn(existing, boot);
  if (!annotationStale && !specStale) return undefined;
  const next = structuredClone(existing);
  if (specStale) next.spec = structuredClone(boot.spec);
  if (annotationStale) next.metadata.annotations = { ...next.metadata.annotations, [autoUpdateAnnotation]: String(autoUpdate) };
  return next;
}

async function ensureOne(store: RegistryStore, boot: ConfigObject, mandatory: boolean): Promise<void> {
  const ctx = producerContext();
  const name = boot.metadata!.name!;
  let existing: StoredObject | undefined;
  try {
    existing = await store.get(ctx, name);
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
  }
  if (!existing) {
    const wanted = structuredClone(boot) as unknown as StoredObject;
    wanted.metadata.annotations = { [autoUpdateAnnotation]: 'true' };
    try {
      await store.create(ctx, wanted);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409)) throw e;
    }
    return;
  }
  const updated = revise(existing, boot, mandatory);
  if (!updated) return;
  try {
    await store.update(ctx, name, updated);
  } catch (e) {
    // A concurrent writer won; the next round looks again.
    if (!(e instanceof StatusError && (e.code === 409 || e.code === 404))) throw e;
  }
}

/**
 * Deletes what the server wrote once and no longer builds in (upstream's RemoveUnwantedObjects): objects annotated
 * `autoupdate-spec: true` whose name is not a built-in one. Objects without the annotation, or with another value,
 * are an admin's and stay.
 */
async function removeUnwanted(store: RegistryStore, builtIn: ConfigObject[]): Promise<void> {
  const ctx = producerContext();
  const names = new Set(builtIn.map((o) => o.metadata!.name!));
  const { items } = await store.list(ctx);
  for (const obj of items) {
    if (names.has(obj.metadata.name) || annotationOf(obj) !== true) continue;
    try {
      await store.delete(ctx, obj.metadata.name);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
}

/** One round over every built-in object, in upstream's order: suggested, then mandatory (levels before schemas, so
 * the schemas never dangle), then the removal of what is no longer built in (schemas first). */
export async function ensureAPFBootstrapConfiguration(stores: { flowSchemas: RegistryStore; priorityLevels: RegistryStore }): Promise<void> {
  for (const pl of suggestedPriorityLevels) await ensureOne(stores.priorityLevels, pl, false);
  for (const fs of suggestedFlowSchemas) await ensureOne(stores.flowSchemas, fs, false);
  for (const pl of mandatoryPriorityLevels) await ensureOne(stores.priorityLevels, pl, true);
  for (const fs of mandatoryFlowSchemas) await ensureOne(stores.flowSchemas, fs, true);
  await removeUnwanted(stores.flowSchemas, [...mandatoryFlowSchemas, ...suggestedFlowSchemas]);
  await removeUnwanted(stores.priorityLevels, [...mandatoryPriorityLevels, ...suggestedPriorityLevels]);
}
