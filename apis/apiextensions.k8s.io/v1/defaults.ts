import type { CustomResourceDefinition, CustomResourceDefinitionSpec } from './types.ts';

/** A new CRD has stored nothing yet but will store in its storage version: that version starts the list. */
export function setDefaults_CustomResourceDefinition(obj: CustomResourceDefinition): void {
  const status = (obj.status ??= {});
  if (!status.storedVersions?.length) {
    const storage = obj.spec?.versions?.find((v) => v?.storage);
    if (storage) status.storedVersions = [storage.name];
  }
}

/** The singular name is the kind in lower case, and the list kind `<kind>List`, unless given. */
export function setDefaults_CustomResourceDefinitionSpec(obj: CustomResourceDefinitionSpec): void {
  const names = obj.names;
  if (!names || typeof names !== 'object') return;
  if (!names.singular && typeof names.kind === 'string') names.singular = names.kind.toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
}
