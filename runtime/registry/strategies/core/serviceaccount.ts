/**
 * ServiceAccount strategy, as upstream's pkg/registry/core/serviceaccount: a reference in `secrets` keeps only its
 * name (the secret is always the account's own namespace's; the other fields would only mislead), on create and on
 * every update; a delete answers with the deleted object; and a write that newly sets the
 * kubernetes.io/enforce-mountable-secrets annotation (deprecated in v1.32, any value) is answered with a warning.
 */
import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

class ServiceAccountStrategy extends DefaultStrategy {
  readonly returnDeletedObject = true;

  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    keepSecretNamesOnly(obj);
  }

  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    keepSecretNamesOnly(obj);
  }

  warningsOnCreate(obj: StoredObject): string[] {
    return hasEnforceMountableSecrets(obj) ? [enforceMountableSecretsWarning] : [];
  }

  /** An update that keeps the annotation says nothing: only the write that sets it is warned. */
  warningsOnUpdate(obj: StoredObject, old: StoredObject): string[] {
    return hasEnforceMountableSecrets(obj) && !hasEnforceMountableSecrets(old) ? [enforceMountableSecretsWarning] : [];
  }
}

const enforceMountableSecrets = 'kubernetes.io/enforce-mountable-secrets';
const enforceMountableSecretsWarning = `metadata.annotations[${enforceMountableSecrets}]: deprecated in v1.32+; prefer separate namespaces to isolate access to mounted secrets`;

function hasEnforceMountableSecrets(obj: StoredObject): boolean {
  return Object.hasOwn(obj.metadata?.annotations ?? {}, enforceMountableSecrets);
}

function keepSecretNamesOnly(obj: StoredObject): void {
  if (!Array.isArray(obj.secrets)) return;
  obj.secrets = obj.secrets.map((ref: { name?: unknown } | null) => (ref?.name === undefined || ref.name === '' ? {} : { name: ref.name }));
}

registerStrategy('', 'ServiceAccount', (kind, schema, config) => new ServiceAccountStrategy(kind, schema, config));
