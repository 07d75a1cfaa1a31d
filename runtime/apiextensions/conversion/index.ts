/**
 * Conversion of custom resources by webhook (`spec.conversion.strategy: Webhook`), plugged into the serving
 * side's converter point (serving/conversion.ts), which has `None` built in.
 *
 * - review.ts: the ConversionReview sent, and every check on the answer (upstream's messages);
 * - webhook.ts: the converter of one CRD: the HTTPS call through admission's webhook client and Service resolver.
 */
import type { ServiceResolver } from '../../admission/webhook/client.ts';
import { registerConversionStrategy, type ConverterFactory } from '../server.ts';
import { webhookConverterFactory, type WebhookConversionCRD } from './webhook.ts';

export { webhookConverterFactory } from './webhook.ts';

export interface WebhookConversionOptions {
  /** Where a conversion webhook's Service is served (server-chain.ts's kubeServiceResolver). */
  serviceResolver: ServiceResolver;
}

/** Registers strategy `Webhook`, its Services resolved by the resolver admission webhooks use (one call from the server chain). */
export function registerWebhookConversion(opts: WebhookConversionOptions): void {
  const factory = webhookConverterFactory({ serviceResolver: opts.serviceResolver });
  // The CRD type keeps `conversion.webhook` as plain JSON; the factory reads the fields it needs from it.
  registerConversionStrategy('Webhook', ((crd) => factory(crd as unknown as WebhookConversionCRD)) as ConverterFactory);
}
