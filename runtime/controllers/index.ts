/**
 * The controllers the server runs itself so a cluster works without kube-controller-manager, each on by default
 * and turned off with --controllers (kube-controller-manager's flag and names: `*` for the default set, `name`
 * to add, `-name` to remove), so a real controller manager can take over. They start as post-start hooks.
 */
import type { Logger } from 'pino';
import type { KubeAPIServer } from '../controlplane/instance.ts';
import type { PostStartHooks } from '../server/poststarthooks.ts';
import { ensureSystemPriorityClasses } from './priority-classes/bootstrap.ts';
import { newRootCACertPublisher } from './root-ca-cert-publisher/controller.ts';
import { newServiceAccountController } from './serviceaccount/controller.ts';
import { newServiceAccountTokenController } from './serviceaccount-token/controller.ts';
import type { TokenGenerator } from '../auth/serviceaccount/generator.ts';
import { ResourceQuotaController } from './resourcequota/controller.ts';
import { newCSRSigningController, type CSRSigningConfig } from './csrsigning/controller.ts';
import type { QuotaAccounting } from '../admission/plugins/resourcequota/accounting.ts';

/** Controller names (kube-controller-manager's), with the older names it still accepts. */
export const knownControllers: Record<string, string> = {
  'serviceaccount-controller': 'serviceaccount-controller',
  serviceaccount: 'serviceaccount-controller',
  'root-ca-certificate-publisher-controller': 'root-ca-certificate-publisher-controller',
  'root-ca-cert-publisher': 'root-ca-certificate-publisher-controller',
  'serviceaccount-token-controller': 'serviceaccount-token-controller',
  serviceaccounttoken: 'serviceaccount-token-controller',
  'resourcequota-controller': 'resourcequota-controller',
  resourcequota: 'resourcequota-controller',
  // Runs inside authorization (runtime/auth/authorization/setup.ts), on the RBAC informers it already has.
  'clusterrole-aggregation-controller': 'clusterrole-aggregation-controller',
  'clusterrole-aggregation': 'clusterrole-aggregation-controller',
  'certificatesigningrequest-signing-controller': 'certificatesigningrequest-signing-controller',
  csrsigning: 'certificatesigningrequest-signing-controller',
  'csrsigning-controller': 'certificatesigningrequest-signing-controller',
};

const defaultOn = ['serviceaccount-controller', 'root-ca-certificate-publisher-controller', 'serviceaccount-token-controller', 'resourcequota-controller', 'clusterrole-aggregation-controller', 'certificatesigningrequest-signing-controller'];

/** The controllers --controllers turns on, or the problems with its value. */
export function enabledControllers(values: readonly string[]): { names: string[]; errors: string[] } {
  const errors: string[] = [];
  const on = new Set<string>();
  const off = new Set<string>();
  for (const v of values) {
    if (v === '*') {
      for (const n of defaultOn) on.add(n);
      continue;
    }
    const disable = v.startsWith('-');
    const name = knownControllers[disable ? v.slice(1) : v];
    if (!name) {
      errors.push(`--controllers: "${v}" is not a known controller (known: ${Object.keys(knownControllers).join(', ')})`);
      continue;
    }
    (disable ? off : on).add(name);
  }
  return { names: [...on].filter((n) => !off.has(n)), errors };
}

/**
 * Controllers that list every Secret do not hold readiness: a Secret that cannot be decrypted (a wrong key) must
 * leave the server ready, as it would with these controllers in kube-controller-manager; they retry meanwhile.
 */
const listsSecrets = { holdsReadiness: false };

export interface BuiltInControllers {
  stop(): void;
}

/**
 * Adds a post-start hook per controller that is on, plus the bootstrap of the system PriorityClasses (always, as
 * upstream's kube-apiserver does). `caPem` gives the CA published as kube-root-ca.crt; it is read when the hook runs.
 */
export function addControllerHooks(
  hooks: PostStartHooks,
  deps: {
    kube: KubeAPIServer;
    enabled: readonly string[];
    caPem: () => string;
    log: Logger;
    /** Signs legacy service-account token Secrets (absent: the token controller does not run). */
    legacyTokenGenerator?: () => TokenGenerator | undefined;
    /** Shared with the ResourceQuota admission plug-in; the full recount period (0: only on changes). */
    resourceQuota?: { accounting: QuotaAccounting; resyncMs: number };
    /** The CA that signs approved CSRs (absent: the signing controller does not run). */
    csrSigning?: CSRSigningConfig;
  },
): BuiltInControllers {
  const store = (group: string, resource: string) => deps.kube.store(group, 'v1', resource)!;
  const running: { stop(): void }[] = [];
  // Not when --runtime-config turned scheduling.k8s.io/v1 off.
  if (deps.kube.store('scheduling.k8s.io', 'v1', 'priorityclasses')) hooks.add('scheduling/bootstrap-system-priority-classes', () => ensureSystemPriorityClasses(store('scheduling.k8s.io', 'priorityclasses')));
  if (deps.enabled.includes('serviceaccount-controller')) {
    const c = newServiceAccountController({ namespaces: store('', 'namespaces'), serviceAccounts: store('', 'serviceaccounts'), log: deps.log });
    running.push(c);
    hooks.add('start-serviceaccount-controller', () => c.start());
  }
  if (deps.enabled.includes('root-ca-certificate-publisher-controller')) {
    let c: ReturnType<typeof newRootCACertPublisher> | undefined;
    running.push({ stop: () => c?.stop() });
    hooks.add('start-root-ca-certificate-publisher-controller', async () => {
      c ??= newRootCACertPublisher({ namespaces: store('', 'namespaces'), configMaps: store('', 'configmaps'), caPem: deps.caPem(), log: deps.log });
      await c.start();
    });
  }
  // Legacy secret-based tokens, signed with the server's service-account key (none: the controller does not run).
  if (deps.enabled.includes('serviceaccount-token-controller') && deps.legacyTokenGenerator) {
    let c: ReturnType<typeof newServiceAccountTokenController> | undefined;
    running.push({ stop: () => c?.stop() });
    hooks.add('start-serviceaccount-token-controller', async () => {
      const generator = deps.legacyTokenGenerator?.();
      if (!generator) return;
      c ??= newServiceAccountTokenController({ serviceAccounts: store('', 'serviceaccounts'), secrets: store('', 'secrets'), generator, caPem: deps.caPem, log: deps.log });
      await c.start();
    }, listsSecrets);
  }
  if (deps.enabled.includes('resourcequota-controller') && deps.resourceQuota) {
    const c = new ResourceQuotaController({
      quotas: store('', 'resourcequotas'),
      quotaStatus: deps.kube.store('', 'v1', 'resourcequotas', 'status')!,
      namespacedStores: () => deps.kube.namespacedStores(),
      accounting: deps.resourceQuota.accounting,
      log: deps.log,
      resyncMs: deps.resourceQuota.resyncMs,
    });
    running.push(c);
    hooks.add('start-resourcequota-controller', () => c.start(), listsSecrets);
  }
  if (deps.enabled.includes('certificatesigningrequest-signing-controller') && deps.csrSigning) {
    const c = newCSRSigningController({ csrs: store('certificates.k8s.io', 'certificatesigningrequests'), csrStatus: deps.kube.store('certificates.k8s.io', 'v1', 'certificatesigningrequests', 'status')!, config: deps.csrSigning, log: deps.log });
    running.push(c);
    hooks.add('start-certificatesigningrequest-signing-controller', () => c.start());
  }
  return { stop: () => running.forEach((c) => c.stop()) };
}
