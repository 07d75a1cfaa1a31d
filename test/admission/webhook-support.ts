/**
 * Shared set-up of the webhook tests: the API server, a real HTTPS webhook, and `install`, which creates a
 * webhook configuration and waits until the server dispatches to it (a probe webhook in the same configuration
 * answers a dry-run create of a ConfigMap labelled for it).
 */
import assert from 'node:assert/strict';
import type { TestServer } from '../support/server.ts';
import type { WebhookServer } from '../support/webhook-server.ts';

export const group = '/apis/admissionregistration.k8s.io/v1';

export function configMapRule(operations = ['CREATE', 'UPDATE']) {
  return { operations, apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] };
}

/** A webhook description with the fields v1 requires, calling `path` on the test webhook server. */
export function webhook(hooks: WebhookServer, name: string, path: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    clientConfig: { url: `${hooks.url}${path}`, caBundle: hooks.caBundle },
    rules: [configMapRule()],
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...extra,
  };
}

export async function namespace(server: TestServer, name: string, labels: Record<string, string> = {}): Promise<void> {
  const r = await server.request('POST', '/api/v1/namespaces', { metadata: { name, labels } });
  assert.equal(r.status, 201, r.text);
}

export async function install(server: TestServer, hooks: WebhookServer, type: 'mutating' | 'validating', name: string, webhooks: object[]): Promise<void> {
  const resource = type === 'mutating' ? 'mutatingwebhookconfigurations' : 'validatingwebhookconfigurations';
  const probe = webhook(hooks, 'probe.test.io', `/probe/${name}`, {
    rules: [configMapRule(['CREATE'])],
    objectSelector: { matchLabels: { probe: name } },
  });
  const r = await server.request('POST', `${group}/${resource}`, { metadata: { name }, webhooks: [probe, ...webhooks] });
  assert.equal(r.status, 201, r.text);
  // The server picks configurations up through its watch; on a loaded machine (CI beside other suites) that and the
  // first TLS handshake to the webhook can take seconds, so the wait is long and a failure says what the probe got.
  const deadline = Date.now() + 60_000;
  let last = '';
  while (!hooks.received.some((x) => x.path === `/probe/${name}`)) {
    assert.ok(Date.now() < deadline, `the server never called the webhooks of ${name}; the last probe got ${last}`);
    const probed = await server.request('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { metadata: { generateName: 'probe-', labels: { probe: name } } });
    last = `${probed.status} ${probed.text.slice(0, 300)}`;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Reviews the webhook server received on `path`. */
export function reviewsOn(hooks: WebhookServer, path: string) {
  return hooks.received.filter((x) => x.path === path).map((x) => x.review);
}
