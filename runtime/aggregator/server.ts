/**
 * The aggregator: the first in the chain. It will proxy API groups registered by APIService objects to other
 * servers; until APIServices are served it passes every request on to the kube API server.
 */
import type { APIServer, ResourceHandler } from '../server/delegate.ts';

export class AggregatorServer implements APIServer {
  readonly name = 'kube-aggregator';
  resourceHandler(): ResourceHandler | undefined {
    return undefined;
  }
}
