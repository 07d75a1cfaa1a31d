/**
 * Conversion of custom resources by webhook (`spec.conversion.strategy: Webhook`), plugged into the serving
 * side's converter point (serving/conversion.ts), which has `None` built in.
 *
 * - review.ts: the ConversionReview sent, and every check on the answer (upstream's messages);
 * - webhook.ts: the converter of one CRD: the HTTPS call through admission's webhook client and Service resolver.
 */
import { endpointServiceResolver } from '../../admission/webhook/service-resolver.ts';
import type { RegistryStore } from '../../registry/store.ts';
import { registerConversionStrategy, type ConverterFactory } from '../server.ts';
import { webhookConverterFactory, type WebhookConversionCRD } from './webhook.ts';

export { webhookConverterFactory } from './webhook.ts';

export interface WebhookConversionOptions {
  /** The kube API server's registry store of a resource (Services, Endpoints, EndpointSlices), looked up per call. */
  store(group: string, version: string, resource: string): RegistryStore | undefined;
}

/** Registers strategy `Webhook`, its Services resolved as admission webhooks' are (one call from the server chain). */
export function registerWebhookConversion(opts: WebhookConversionOptions): void {
  const serviceResolver = endpointServiceResolver(() => ({
    services: opts.store('', 'v1', 'services'),
    endpoints: opts.store('', 'v1', 'endpoints'),
    endpointSlices: opts.store('discovery.k8s.io', 'v1', 'endpointslices'),
  }));
  const factory = webhookConverterFactory({ serviceResolver });
  // The CRD type keeps `conversion.webhook` as plain JSON; the factory reads the fields it needs from it.
  registerConversionStrategy('Webhook', ((crd) => factory(crd as unknown as WebhookConversionCRD)) as ConverterFactory);
}
