import type { StoredObject } from '../../../storage/store.ts';
import { invalid } from '../../../machinery/status.ts';
import { IPRangeError } from '../../core/service-ip-allocator.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/**
 * Services get a cluster IP from the allocator when they ask for one (not ExternalName, not headless), keep it
 * across updates that leave it out, and give it back when they go.
 */
class ServiceStrategy extends DefaultStrategy {
  readonly returnDeletedObject = true;
  private static readonly allocatedFields = ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy'] as const;

  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    if (obj.spec && old.spec?.clusterIP && !obj.spec.clusterIP && obj.spec.type !== 'ExternalName') {
      for (const f of ServiceStrategy.allocatedFields) if (old.spec[f] !== undefined) obj.spec[f] ??= old.spec[f];
    }
  }

  async beginCreate(obj: StoredObject): Promise<(succeeded: boolean) => Promise<void>> {
    const allocator = this.config.serviceIPs;
    const spec = obj.spec ?? {};
    if (!allocator || spec.type === 'ExternalName' || spec.clusterIP === 'None') return async () => {};
    let ip: string;
    try {
      ip = await allocator.allocate(`${obj.metadata.namespace}/${obj.metadata.name}`, spec.clusterIP || spec.clusterIPs?.[0] || undefined);
    } catch (e) {
      if (e instanceof IPRangeError) throw invalid('', 'Service', obj.metadata.name, [{ type: 'FieldValueInvalid', field: 'spec.clusterIPs', badValue: spec.clusterIP ?? '', detail: e.message }]);
      throw e;
    }
    obj.spec = { ...spec, clusterIP: ip, clusterIPs: [ip], ipFamilies: ['IPv4'], ipFamilyPolicy: spec.ipFamilyPolicy ?? 'SingleStack' };
    return async (succeeded) => {
      if (!succeeded) await allocator.release(ip);
    };
  }

  async afterDelete(obj: StoredObject): Promise<void> {
    const allocator = this.config.serviceIPs;
    for (const ip of obj.spec?.clusterIPs ?? (obj.spec?.clusterIP ? [obj.spec.clusterIP] : [])) {
      if (allocator && allocator.range.offsetOf(ip) !== undefined) await allocator.release(ip);
    }
  }
}

registerStrategy('', 'Service', (kind, schema, config) => new ServiceStrategy(kind, schema, config));
