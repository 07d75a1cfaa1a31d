/**
 * Upstream's DropDisabled*Fields as a plug-in point: a kind registers how it clears the fields of gates that are off
 * (feature-gates.ts), and the strategies run it on create and update, before validation, as upstream's
 * PrepareForCreate and PrepareForUpdate do, so that a dropped field is neither stored nor reported as invalid. A
 * field the stored object already uses is kept (upstream's "…InUse(old)" rules), which is why `old` is passed.
 */
import type { KindRegistration } from '../machinery/registration.ts';
import type { StoredObject } from '../storage/store.ts';

/** Clears the disabled fields of `obj`; `old` is the stored object on update, undefined on create. Mutates `obj` only. */
export type DisabledFieldsDropper = (obj: StoredObject, old: StoredObject | undefined) => void;

/** Droppers by group, then kind: looked up on every write, without building a key. */
const droppers = new Map<string, Map<string, DisabledFieldsDropper[]>>();

export function registerDisabledFields(group: string, kind: string, dropper: DisabledFieldsDropper): void {
  let kinds = droppers.get(group);
  if (!kinds) droppers.set(group, (kinds = new Map()));
  kinds.set(kind, [...(kinds.get(kind) ?? []), dropper]);
}

/** Runs every dropper registered for the kind of `kind`. */
export function dropDisabledFields(kind: KindRegistration, obj: StoredObject, old: StoredObject | undefined): void {
  const registered = droppers.get(kind.group)?.get(kind.kind);
  if (registered) for (const drop of registered) drop(obj, old);
}
