/**
 * ServiceAccount strategy, as upstream's pkg/registry/core/serviceaccount: a reference in `secrets` keeps only its
 * name (the secret is always the account's own namespace's; the other fields would only mislead), on create and on
 * every update; and a delete answers with the deleted object.
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
}

function keepSecretNamesOnly(obj: StoredObject): void {
  if (!Array.isArray(obj.secrets)) return;
  obj.secrets = obj.secrets.map((ref: { name?: unknown } | null) => (ref?.name === undefined || ref.name === '' ? {} : { name: ref.name }));
}

registerStrategy('', 'ServiceAccount', (kind, schema, config) => new ServiceAccountStrategy(kind, schema, config));
