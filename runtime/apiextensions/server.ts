/**
 * The apiextensions server: the last in the chain, serving CustomResourceDefinitions and the custom resources
 * they define. Custom resources come with the CRD issue; until then it serves nothing and passes every request on.
 */
import type { APIServer, ResourceHandler } from '../server/delegate.ts';

export class APIExtensionsServer implements APIServer {
  readonly name = 'apiextensions-apiserver';
  resourceHandler(): ResourceHandler | undefined {
    return undefined;
  }
}
