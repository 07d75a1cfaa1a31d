/**
 * The server chain's contract: each API server serves some resource requests and passes the rest to its
 * delegate (aggregator -> kube API server -> apiextensions server -> not found), as upstream chains them.
 */
import type { RequestInfo } from '../endpoints/request-info.ts';
import type { RestRequest, RestResponse } from '../endpoints/rest.ts';

export type ResourceHandler = (req: RestRequest) => Promise<RestResponse>;

export interface APIServer {
  readonly name: string;
  /** The handler for this resource request, or undefined when this server does not serve it. */
  resourceHandler(info: RequestInfo): ResourceHandler | undefined;
}

/** Asks each server in order; the first that serves the request handles it. */
export function chain(servers: readonly APIServer[]): (info: RequestInfo) => ResourceHandler | undefined {
  return (info) => {
    for (const s of servers) {
      const h = s.resourceHandler(info);
      if (h) return h;
    }
    return undefined;
  };
}
