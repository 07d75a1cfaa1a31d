/** Admission metrics: the latency of every admission webhook call (apiserver_admission_webhook_admission_duration_seconds). */
import { histogram } from './registry.ts';

const webhookDuration = histogram(
  'apiserver_admission_webhook_admission_duration_seconds',
  'Admission webhook latency histogram in seconds, identified by name and broken out for each operation and API resource and type (validate or admit).',
  ['name', 'operation', 'rejected', 'type'],
  [0.005, 0.025, 0.1, 0.5, 1.0, 2.5, 10, 25],
);

/** One webhook call: `type` is `admit` for mutating webhooks and `validating` for validating ones, as upstream. */
export function observeAdmissionWebhook(name: string, operation: string, rejected: boolean, type: 'admit' | 'validating', seconds: number): void {
  webhookDuration.observe({ name, operation, rejected: rejected ? 'true' : 'false', type }, seconds);
}
