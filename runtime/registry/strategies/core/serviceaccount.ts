import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/** Service accounts answer a delete with the deleted object, as upstream. */
class ServiceAccountStrategy extends DefaultStrategy {
  readonly returnDeletedObject = true;
}
registerStrategy('', 'ServiceAccount', (kind, schema, config) => new ServiceAccountStrategy(kind, schema, config));
