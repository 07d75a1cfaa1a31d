/**
 * Authorization for one server: builds the authorizers of --authorization-mode in order, the RBAC state they and
 * the escalation check read, the `rbac/bootstrap-roles` post-start hook and the ClusterRole aggregation
 * controller. server-chain.ts makes one, puts `admissionPlugin` in the admission chain, calls `start` once the registry
 * exists, and hands `authorizers` to the handler chain.
 */
import type { Logger } from 'pino';
import type { AdmissionAttributes, AdmissionPlugin } from '../../admission/types.ts';
import type { RegistryStore } from '../../registry/store.ts';
import type { PostStartHooks } from '../../server/poststarthooks.ts';
import { ClusterRoleAggregationController } from '../../controllers/clusterrole-aggregation/controller.ts';
import { SharedInformer } from '../../controllers/informer.ts';
import { NodeAuthorizer, nodeName } from './node.ts';
import type { AuthorizationOptions } from './options.ts';
import { RBACAuthorizer } from './rbac/authorizer.ts';
import { aggregateErrors } from '../../machinery/aggregate-errors.ts';
import { bootstrapRBAC } from './rbac/bootstrap.ts';
import { rbacEscalationCheck } from './rbac/escalation.ts';
import { RBACIndex } from './rbac/index.ts';
import type { Authorizer, RuleResolver } from './types.ts';
import { alwaysAllowAuthorizer, alwaysDenyAuthorizer, unionAuthorizer } from './union.ts';
import { WebhookAuthorizer } from './webhook.ts';
import { registerAuthorizationREST } from './reviews.ts';
import type { CreaterREST } from '../../registry/rest.ts';

/** What authorization needs of the kube API server: its registry stores, and the plug-in point for reviews. */
export interface KubeRegistry {
  store(group: string, version: string, resource: string): RegistryStore | undefined;
  registerREST(group: string, version: string, resource: string, subresource: string, rest: CreaterREST): void;
}

const rbacGroup = 'rbac.authorization.k8s.io';

/**
 * Waits for informers before deciding, so nothing is refused in the first moments after start-up; once they have
 * synced, requests go straight to the authorizer (asking the informers again cost each request a Promise.all).
 */
function afterSync(authorizer: Authorizer, synced: () => Promise<void>): Authorizer {
  let ready = false;
  return {
    authorize(attrs) {
      if (ready) return authorizer.authorize(attrs);
      return synced().then(() => {
        ready = true;
        return authorizer.authorize(attrs);
      });
    },
  };
}

export class Authorization {
  /** The configured modes, in order (handed to the authorization filter, which adds system:masters). */
  readonly authorizers: Authorizer[] = [];
  /** Every mode together, as the filter decides (for SubjectAccessReview, impersonation, escalate/bind checks). */
  readonly authorizer: Authorizer = unionAuthorizer(this.authorizers);
  /**
   * Lists a user's rules (SelfSubjectRulesReview) as the modes see them, in order, as upstream's union RulesFor:
   * every mode's rules appended, incomplete when one is, its errors aggregated (the RBAC resolver's one by one).
   */
  readonly ruleResolver: RuleResolver = {
    rulesFor: async (user, namespace) => {
      const out: Awaited<ReturnType<RuleResolver['rulesFor']>> = { resourceRules: [], nonResourceRules: [], incomplete: false };
      const errors: string[] = [];
      for (const mode of this.options.modes) {
        if (mode === 'AlwaysAllow') {
          out.resourceRules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [] });
          out.nonResourceRules.push({ verbs: ['*'], nonResourceURLs: ['*'] });
        } else if (mode === 'RBAC' && this.rbac && this.index) {
          await this.index.synced();
          const r = await this.rbac.rulesFor(user, namespace);
          out.resourceRules.push(...r.resourceRules);
          out.nonResourceRules.push(...r.nonResourceRules);
          errors.push(...r.errors);
          out.incomplete ||= r.incomplete;
        } else if (mode === 'Node' && nodeName(user) !== undefined) {
          // What a node may reach follows its pods: upstream's Node authorizer cannot list it.
          out.incomplete = true;
          errors.push('node authorizer does not support user rule resolution');
        } else if (mode === 'Webhook') {
          // A webhook cannot list rules: what it would allow stays unknown.
          out.incomplete = true;
          errors.push('webhook authorizer does not support user rule resolution');
        }
      }
      if (errors.length) out.evaluationError = aggregateErrors(errors);
      return out;
    },
  };
  private rbac?: RBACAuthorizer;
  private index?: RBACIndex;
  private readonly informers: SharedInformer[] = [];
  private aggregation?: ClusterRoleAggregationController;

  constructor(
    readonly options: AuthorizationOptions,
    private readonly log?: Logger,
  ) {}

  /**
   * RBAC's escalation prevention; usable only once `start` has run (it does before the server serves). Upstream
   * checks in the RBAC kinds' storage, after mutating admission and before validation: a refused write is 403
   * whatever else is wrong with it.
   */
  readonly admissionPlugin: AdmissionPlugin = {
    name: 'RBACEscalationCheck',
    afterMutation: async (a: AdmissionAttributes) => {
      if (a.kind.group !== rbacGroup || !this.escalation) return;
      await this.escalation.afterMutation!(a);
    },
  };
  private escalation?: AdmissionPlugin;

  private informer(store: RegistryStore): SharedInformer {
    const i = new SharedInformer(store, { log: this.log });
    this.informers.push(i);
    return i;
  }

  start(kube: KubeRegistry, hooks: PostStartHooks): void {
    const store = (group: string, version: string, resource: string): RegistryStore => {
      const s = kube.store(group, version, resource);
      if (!s) throw new Error(`authorization needs ${resource}.${group || 'core'}/${version}, which is not served`);
      return s;
    };
    const rbacStores = {
      roles: store(rbacGroup, 'v1', 'roles'),
      clusterRoles: store(rbacGroup, 'v1', 'clusterroles'),
      roleBindings: store(rbacGroup, 'v1', 'rolebindings'),
      clusterRoleBindings: store(rbacGroup, 'v1', 'clusterrolebindings'),
    };
    const rbacInformers = {
      roles: this.informer(rbacStores.roles),
      clusterRoles: this.informer(rbacStores.clusterRoles),
      roleBindings: this.informer(rbacStores.roleBindings),
      clusterRoleBindings: this.informer(rbacStores.clusterRoleBindings),
    };
    const index = (this.index = new RBACIndex(rbacInformers));
    const rbac = (this.rbac = new RBACAuthorizer(index));
    this.escalation = rbacEscalationCheck({ authorizer: () => this.authorizer, rbac, index });

    for (const mode of this.options.modes) {
      if (mode === 'AlwaysAllow') this.authorizers.push(alwaysAllowAuthorizer);
      else if (mode === 'AlwaysDeny') this.authorizers.push(alwaysDenyAuthorizer);
      else if (mode === 'RBAC') this.authorizers.push(afterSync(rbac, () => index.synced()));
      else if (mode === 'Node') {
        const pods = this.informer(store('', 'v1', 'pods'));
        const pvcs = this.informer(store('', 'v1', 'persistentvolumeclaims'));
        this.authorizers.push(afterSync(new NodeAuthorizer({ pods, pvcs }), async () => void (await Promise.all([pods.synced(), pvcs.synced()]))));
      } else if (mode === 'Webhook') {
        this.authorizers.push(
          new WebhookAuthorizer({
            kubeconfigFile: this.options.webhookConfigFile!,
            version: this.options.webhookVersion,
            authorizedTTLSeconds: this.options.webhookCacheAuthorizedTTLSeconds,
            unauthorizedTTLSeconds: this.options.webhookCacheUnauthorizedTTLSeconds,
            timeoutSeconds: this.options.webhookTimeoutSeconds,
          }),
        );
      }
    }
    for (const i of this.informers) i.start();
    registerAuthorizationREST(kube, this.authorizer, this.ruleResolver);

    hooks.add('rbac/bootstrap-roles', () => bootstrapRBAC(rbacStores));
    if (this.options.clusterRoleAggregation) {
      this.aggregation = new ClusterRoleAggregationController(rbacInformers.clusterRoles, rbacStores.clusterRoles, this.log);
      this.aggregation.start();
    }
  }

  stop(): void {
    this.aggregation?.stop();
    for (const i of this.informers) i.stop();
  }
}
