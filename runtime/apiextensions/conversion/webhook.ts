/**
 * Conversion strategy `Webhook`: custom resources move between a CRD's versions by POSTing a ConversionReview
 * (`apiextensions.k8s.io/v1`, or `v1beta1` when the CRD's `conversionReviewVersions` asks only for it) over HTTPS to
 * `spec.conversion.webhook.clientConfig` — a `url`, or a Service resolved as admission webhooks resolve theirs,
 * the serving certificate checked against `caBundle` — within 30 seconds, as upstream's webhook client.
 *
 * Nothing the webhook answers is used before it passes every check of review.ts; any failure is a 500 Status whose
 * message is upstream's (`conversion webhook for <group>/<version>, Kind=<Kind> failed: ...`), so a request that
 * needed the conversion fails and nothing half-converted is stored or served.
 */
import { randomUUID } from 'node:crypto';
import { callWebhook, closeHookClient, type ServiceResolver, type WebhookEndpoint } from '../../admission/webhook/client.ts';
import type { WebhookClientConfig } from '../../admission/webhook/config.ts';
import { CallingWebhookError } from '../../admission/webhook/review.ts';
import { failure, StatusError } from '../../machinery/status.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { ConvertOptions } from '../serving/conversion.ts';
import { BareConversionError, checkConverted, conversionReview, convertedObjectsOf, gvkString, pickReviewVersion } from './review.ts';

/** What the converter reads of a CustomResourceDefinition. */
export interface WebhookConversionCRD {
  metadata: { name: string };
  spec: {
    conversion?: {
      strategy?: string;
      webhook?: { clientConfig?: WebhookClientConfig; conversionReviewVersions?: string[] };
    };
  };
}

/** Objects of one CRD to `toAPIVersion`, in order; `list` when they are the items of one list (upstream's messages differ). */
export type WebhookConverter = (objects: StoredObject[], toAPIVersion: string, opts?: { list?: boolean } & ConvertOptions) => Promise<StoredObject[]>;

export interface WebhookConverterOptions {
  /** Where a `clientConfig.service` is served (the admission webhooks' resolver). */
  serviceResolver?: ServiceResolver;
  /** Upstream's webhook client gives a call 30 seconds. */
  timeoutSeconds?: number;
}

/** Upstream keeps its webhook clients in an LRU cache of this size, keyed by client config. */
const maxClients = 100;

/**
 * The `Webhook` strategy: builds one CRD's converter. HTTPS clients (and their connections) are shared by CRDs
 * with the same client config and kept across CRD updates, as upstream's client manager does.
 */
export function webhookConverterFactory(opts: WebhookConverterOptions = {}): (crd: WebhookConversionCRD) => WebhookConverter {
  const timeoutSeconds = opts.timeoutSeconds ?? 30;
  const clients = new Map<string, WebhookEndpoint>();
  const endpointFor = (crd: WebhookConversionCRD): WebhookEndpoint => {
    const clientConfig = crd.spec.conversion?.webhook?.clientConfig ?? {};
    const key = JSON.stringify([clientConfig.url, clientConfig.service, clientConfig.caBundle]);
    let endpoint = clients.get(key);
    if (endpoint) {
      clients.delete(key); // most recently used goes last
    } else {
      endpoint = { name: `conversion_webhook_for_${crd.metadata.name}`, timeoutSeconds, cache: new Map(), spec: { clientConfig } };
      if (clients.size >= maxClients) {
        const [oldestKey, oldest] = clients.entries().next().value!;
        clients.delete(oldestKey);
        closeHookClient(oldest);
      }
    }
    clients.set(key, endpoint);
    return endpoint;
  };

  return (crd) => {
    const endpoint = endpointFor(crd);
    const reviewVersions = crd.spec.conversion?.webhook?.conversionReviewVersions;
    return async function convertByWebhook(objects, toAPIVersion, callOpts = {}) {
      // Callers that do not say (serving's converter point) convert a list whenever they pass more than one object.
      const list = callOpts.list ?? objects.length > 1;
      const toSend = objects.filter((o) => o.apiVersion !== toAPIVersion);
      if (toSend.length === 0) return objects;
      // Upstream names what it converts by the input's group, version and kind (the list's for a list).
      const kindOf = `${gvkString(toSend[0])}${list ? 'List' : ''}`;
      const fail = (message: string) => failure(500, undefined, `conversion webhook for ${kindOf} ${message}`);
      let version;
      try {
        version = pickReviewVersion(reviewVersions);
      } catch (e) {
        throw failure(500, undefined, (e as Error).message);
      }
      const uid = randomUUID();
      let answer: StoredObject;
      try {
        answer = await callWebhook(endpoint, conversionReview(version, uid, toAPIVersion, toSend), opts.serviceResolver, callOpts.cancellation);
      } catch (e) {
        if (e instanceof CallingWebhookError) throw fail(`failed: ${e.reason.replace(/^failed to call webhook: /, '')}`);
        throw e instanceof StatusError ? e : fail(`failed: ${(e as Error).message}`);
      }
      let converted: unknown[];
      try {
        converted = convertedObjectsOf(version, uid, answer);
      } catch (e) {
        throw fail(`failed: ${(e as Error).message}`);
      }
      if (converted.length !== toSend.length) throw fail(`returned ${converted.length} objects, expected ${toSend.length}`);
      let next = 0;
      return objects.map((original) => {
        if (original.apiVersion === toAPIVersion) return original;
        const index = next++;
        try {
          return checkConverted(original, converted[index], toAPIVersion, list, index);
        } catch (e) {
          if (e instanceof BareConversionError) throw failure(500, undefined, e.message);
          throw fail((e as Error).message);
        }
      });
    };
  };
}
