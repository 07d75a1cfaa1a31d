/**
 * The controllers the server runs itself so a cluster works without kube-controller-manager, each on by default
 * and turned off with --controllers (kube-controller-manager's flag and names: `*` for the default set, `name`
 * to add, `-name` to remove), so a real controller manager can take over. They start as post-start hooks.
 */
import type { Logger } from 'pino';
import type { KubeAPIServer } from '../controlplane/instance.ts';
import type { PostStartHooks } from '../server/poststarthooks.ts';
import type { RegistryStore } from '../registry/store.ts';
import { LeaderElector, type LeaderElectionConfig } from './leader-election.ts';
import { ensureSystemPriorityClasses } from './priority-classes/bootstrap.ts';
import { newRootCACertPublisher } from './root-ca-cert-publisher/controller.ts';
import { newServiceAccountController } from './serviceaccount/controller.ts';
import { newServiceAccountTokenController } from './serviceaccount-token/controller.ts';
import type { TokenGenerator } from '../auth/serviceaccount/generator.ts';
import { ResourceQuotaController } from './resourcequota/controller.ts';
import { newCSRSigningController, type CSRSigningConfig } from './csrsigning/controller.ts';
import type { QuotaAccounting } from '../admission/plugins/resourcequota/accounting.ts';
import { garbageCollectorDefinition, type GarbageCollectorDeps } from './garbagecollector/index.ts';

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
  'garbage-collector-controller': 'garbage-collector-controller',
  garbagecollector: 'garbage-collector-controller',
};

const defaultOn = ['serviceaccount-controller', 'root-ca-certificate-publisher-controller', 'serviceaccount-token-controller', 'resourcequota-controller', 'clusterrole-aggregation-controller', 'certificatesigningrequest-signing-controller', 'garbage-collector-controller'];

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
  stop(): void | Promise<void>;
}

/** A controller as the manager runs it: started (resolving once its informers have listed) and stopped. */
interface Controller {
  start(): Promise<void>;
  stop(): void;
}

/** One controller that is on: its post-start hook name, and how to make a fresh instance (undefined: nothing to run). */
interface ControllerDefinition {
  hook: string;
  create(): Controller | undefined;
  holdsReadiness?: boolean;
}

/** A promise with its resolve function (Node 20 has no Promise.withResolvers). */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Runs the controllers. Without leader election each one starts in its own post-start hook. With it, they run only
 * while this server holds the Lease: all start on becoming leader and stop on losing it (fresh instances the next
 * time). A hook finishes once its controller started here or another server is seen leading, so a follower is ready.
 */
function runControllers(hooks: PostStartHooks, definitions: ControllerDefinition[], election: { leases: RegistryStore; config: LeaderElectionConfig } | undefined, log: Logger): BuiltInControllers {
  if (!election || !definitions.length) {
    const running: Controller[] = [];
    for (const d of definitions) {
      let c: Controller | undefined;
      hooks.add(d.hook, async () => {
        c ??= d.create();
        if (c && !running.includes(c)) running.push(c);
        await c?.start();
      }, { holdsReadiness: d.holdsReadiness });
    }
    return { stop: () => running.forEach((c) => c.stop()) };
  }
  let running: Controller[] = [];
  const settled = new Map(definitions.map((d) => [d.hook, deferred()]));
  const settleAll = () => settled.forEach((p) => p.resolve());
  const elector = new LeaderElector(election.leases, election.config, {
    onStartedLeading: () => {
      for (const d of definitions) {
        const c = d.create();
        if (!c) {
          settled.get(d.hook)!.resolve();
          continue;
        }
        running.push(c);
        const attempt = (): void => {
          if (!running.includes(c)) return;
          c.start().then(
            () => settled.get(d.hook)!.resolve(),
            (e) => {
              log.warn({ err: e, hook: d.hook }, 'controller failed to start; retrying');
              setTimeout(attempt, 1000).unref();
            },
          );
        };
        attempt();
      }
    },
    onStoppedLeading: () => {
      for (const c of running) c.stop();
      running = [];
    },
    onNewLeader: settleAll,
  }, log);
  hooks.add('start-controllers-leader-election', async () => elector.start(), { holdsReadiness: false });
  for (const d of definitions) hooks.add(d.hook, () => settled.get(d.hook)!.promise, { holdsReadiness: d.holdsReadiness });
  return { stop: () => elector.stop() };
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
    /** --leader-elect and its Lease (absent or disabled: the controllers run in every server). */
    leaderElection?: LeaderElectionConfig;
    /** Every served resource's store and change notices, with --concurrent-gc-syncs (absent: no garbage collector). */
    garbageCollector?: GarbageCollectorDeps;
  },
): BuiltInControllers {
  const store = (group: string, resource: string) => deps.kube.store(group, 'v1', resource)!;
  const { log } = deps;
  // Not when --runtime-config turned scheduling.k8s.io/v1 off.
  if (deps.kube.store('scheduling.k8s.io', 'v1', 'priorityclasses')) hooks.add('scheduling/bootstrap-system-priority-classes', () => ensureSystemPriorityClasses(store('scheduling.k8s.io', 'priorityclasses')));
  const definitions: ControllerDefinition[] = [];
  const on = (name: string) => deps.enabled.includes(name);
  if (on('serviceaccount-controller')) {
    definitions.push({ hook: 'start-serviceaccount-controller', create: () => newServiceAccountController({ namespaces: store('', 'namespaces'), serviceAccounts: store('', 'serviceaccounts'), log }) });
  }
  if (on('root-ca-certificate-publisher-controller')) {
    definitions.push({ hook: 'start-root-ca-certificate-publisher-controller', create: () => newRootCACertPublisher({ namespaces: store('', 'namespaces'), configMaps: store('', 'configmaps'), caPem: deps.caPem(), log }) });
  }
  // Legacy secret-based tokens, signed with the server's service-account key (none: the controller does not run).
  if (on('serviceaccount-token-controller') && deps.legacyTokenGenerator) {
    definitions.push({
      hook: 'start-serviceaccount-token-controller',
      create: () => {
        const generator = deps.legacyTokenGenerator?.();
        return generator && newServiceAccountTokenController({ serviceAccounts: store('', 'serviceaccounts'), secrets: store('', 'secrets'), generator, caPem: deps.caPem, log });
      },
      ...listsSecrets,
    });
  }
  if (on('resourcequota-controller') && deps.resourceQuota) {
    const { accounting, resyncMs } = deps.resourceQuota;
    definitions.push({
      hook: 'start-resourcequota-controller',
      create: () => new ResourceQuotaController({ quotas: store('', 'resourcequotas'), quotaStatus: deps.kube.store('', 'v1', 'resourcequotas', 'status')!, namespacedStores: () => deps.kube.namespacedStores(), accounting, log, resyncMs }),
      ...listsSecrets,
    });
  }
  if (on('certificatesigningrequest-signing-controller') && deps.csrSigning) {
    const config = deps.csrSigning;
    definitions.push({
      hook: 'start-certificatesigningrequest-signing-controller',
      create: () => newCSRSigningController({ csrs: store('certificates.k8s.io', 'certificatesigningrequests'), csrStatus: deps.kube.store('certificates.k8s.io', 'v1', 'certificatesigningrequests', 'status')!, config, log }),
    });
  }
  if (on('garbage-collector-controller') && deps.garbageCollector) definitions.push(garbageCollectorDefinition(deps.garbageCollector, log));
  const leases = deps.kube.store('coordination.k8s.io', 'v1', 'leases');
  const election = deps.leaderElection?.enabled && leases ? { leases, config: deps.leaderElection } : undefined;
  return runControllers(hooks, definitions, election, log);
}
