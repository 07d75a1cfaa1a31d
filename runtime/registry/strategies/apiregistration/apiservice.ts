/**
 * APIService strategy, as upstream's kube-aggregator registry/apiservice: a new APIService's status is the
 * server's, not the client's, and a local one (no `spec.service`: a group this server serves itself) is Available
 * from the moment it exists, so clients never see it unavailable between its creation and the availability
 * controller's first pass. Updates of the resource keep the status (the DefaultStrategy's /status handling).
 */
import type { StoredObject } from '../../../storage/store.ts';
import { nowTime } from '../../objectmeta.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

class APIServiceStrategy extends DefaultStrategy {
  /** Upstream's APIService strategies refuse an update that names no resourceVersion. */
  override readonly allowUnconditionalUpdate = false;

  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    obj.status = {};
    if (!obj.spec?.service) {
      obj.status.conditions = [{ type: 'Available', status: 'True', lastTransitionTime: nowTime(), reason: 'Local', message: 'Local APIServices are always available' }];
    }
  }
}

registerStrategy('apiregistration.k8s.io', 'APIService', (kind, schema, config) => new APIServiceStrategy(kind, schema, config));
