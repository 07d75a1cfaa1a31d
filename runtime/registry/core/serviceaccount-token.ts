/**
 * TokenRequest: `POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token` (upstream's TokenREST). Takes an
 * authentication.k8s.io/v1 TokenRequest, issues a bound service-account token for the named ServiceAccount —
 * for the requested audiences (default --api-audiences), for expirationSeconds (default 3600, at least 600,
 * shortened to --service-account-max-token-expiration), optionally bound to a Pod, Secret or Node — and answers
 * the request with `status.token` and `status.expirationTimestamp`. Nothing is stored.
 */
import { invalid as fieldInvalid, type FieldError } from '../../machinery/field-errors.ts';
import { badRequest, conflict, invalid } from '../../machinery/status.ts';
import type { StoredObject } from '../../storage/store.ts';
import { boundTokenClaims } from '../../auth/serviceaccount/claims.ts';
import type { TokenGenerator } from '../../auth/serviceaccount/generator.ts';
import type { RequestContext } from '../store.ts';
import type { CreaterREST } from '../rest.ts';
import { TokenRequest } from '../../../generated/authentication.k8s.io/v1/register.ts';

/** Reads an object, throwing the registry's 404 NotFound StatusError when it does not exist. */
export type RequiredObjectGetter = (resource: 'serviceaccounts' | 'pods' | 'secrets' | 'nodes', namespace: string, name: string) => Promise<StoredObject>;

export interface TokenRESTOptions {
  generator: TokenGenerator;
  getObject: RequiredObjectGetter;
  /** --api-audiences: the audiences of a request that names none. */
  apiAudiences: string[];
  /** --service-account-max-token-expiration in seconds; 0 means no limit. */
  maxExpirationSeconds: number;
  /** --service-account-extend-token-expiration: pod-bound tokens asking for 3607 s live a year, warning after 3607 s. */
  extendExpiration: boolean;
  /** Milliseconds since the epoch (tests). */
  now?: () => number;
}

export const defaultExpirationSeconds = 60 * 60;
const minExpirationSeconds = 10 * 60;
const maxRepresentableSeconds = 2 ** 32;
/** The expiration projected volumes ask for, which upstream extends (warn-only after it) for a safe rollout. */
export const warnOnlyBoundTokenExpirationSeconds = 60 * 60 + 7;
/** How long such extended tokens live: a year. */
export const expirationExtensionSeconds = 24 * 365 * 60 * 60;

const tokenRequestGroup = 'authentication.k8s.io';
const tokenRequestKind = 'TokenRequest';

interface TokenRequest {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; creationTimestamp?: string; [k: string]: unknown };
  spec?: {
    audiences?: string[];
    expirationSeconds?: number;
    boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string };
  };
  status?: unknown;
}

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The group of an apiVersion ('v1' -> '', 'apps/v1' -> 'apps'), as schema.ParseGroupVersion reads it. */
function groupOf(apiVersion: string | undefined): string {
  if (!apiVersion) return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function validateTokenRequest(req: TokenRequest): FieldError[] {
  const errs: FieldError[] = [];
  const exp = req.spec?.expirationSeconds ?? 0;
  if (exp < minExpirationSeconds) errs.push(fieldInvalid('spec.expirationSeconds', exp, 'may not specify a duration less than 10 minutes'));
  if (exp > maxRepresentableSeconds) errs.push(fieldInvalid('spec.expirationSeconds', exp, 'may not specify a duration larger than 2^32 seconds'));
  return errs;
}

export class TokenREST implements CreaterREST {
  readonly kind = TokenRequest;
  private readonly apiAudienceSet: Set<string>;

  constructor(private readonly o: TokenRESTOptions) {
    this.apiAudienceSet = new Set(o.apiAudiences);
  }

  /** Whether every audience of the token is one of the API server's (only such tokens are extended). */
  private isKubeAudiences(audiences: string[]): boolean {
    return audiences.every((a) => this.apiAudienceSet.has(a));
  }

  /**
   * Issues the token. `name` is the ServiceAccount of the path; `ctx.namespace` its namespace. Returns the
   * TokenRequest with its status filled in; throws StatusErrors (404 for a missing ServiceAccount or bound object,
   * 400 for a binding that is not allowed, 409 for a stale bound uid, 422 for an invalid request).
   */
  async create(ctx: RequestContext, name: string, obj: StoredObject): Promise<StoredObject> {
    const req = structuredClone(obj) as TokenRequest;
    const namespace = ctx.namespace;
    if (!namespace) throw badRequest('namespace is required');
    req.metadata ??= {};
    req.spec ??= {};
    if (req.metadata.name && req.metadata.name !== name) {
      throw invalid(tokenRequestGroup, tokenRequestKind, name, [fieldInvalid('metadata.name', req.metadata.name, 'must match the service account name if specified')]);
    }
    if (req.metadata.namespace && req.metadata.namespace !== namespace) {
      throw invalid(tokenRequestGroup, tokenRequestKind, name, [fieldInvalid('metadata.namespace', req.metadata.namespace, 'must match the service account namespace if specified')]);
    }

    const serviceAccount = await this.o.getObject('serviceaccounts', namespace, name);
    if (!req.spec.audiences?.length) req.spec.audiences = [...this.o.apiAudiences];
    if (req.spec.expirationSeconds === undefined || req.spec.expirationSeconds === null) req.spec.expirationSeconds = defaultExpirationSeconds;
    req.metadata.name ||= name;
    req.metadata.namespace ||= namespace;
    // Taken before the token is built, so the reported expiration is never later than the token's exp.
    const nowMs = (this.o.now ?? Date.now)();
    req.metadata.creationTimestamp = rfc3339(nowMs);
    delete req.status;

    const errs = validateTokenRequest(req);
    if (errs.length) throw invalid(tokenRequestGroup, tokenRequestKind, '', errs);

    let pod: StoredObject | undefined;
    let podNode: StoredObject | undefined;
    let secret: StoredObject | undefined;
    let node: StoredObject | undefined;
    const ref = req.spec.boundObjectRef;
    if (ref) {
      const group = groupOf(ref.apiVersion);
      const refName = ref.name ?? '';
      let uid: string | undefined;
      let resource: string;
      if (group === '' && ref.kind === 'Pod') {
        resource = 'Pod';
        pod = await this.o.getObject('pods', namespace, refName);
        const podSA = (pod.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName;
        if (name !== podSA) throw badRequest(`cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`);
        uid = pod.metadata?.uid as string | undefined;
        const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
        if (nodeName) podNode = await this.o.getObject('nodes', '', nodeName).catch(() => undefined);
      } else if (group === '' && ref.kind === 'Node') {
        resource = 'Node';
        node = await this.o.getObject('nodes', '', refName);
        uid = node.metadata?.uid as string | undefined;
      } else if (group === '' && ref.kind === 'Secret') {
        resource = 'Secret';
        secret = await this.o.getObject('secrets', namespace, refName);
        uid = secret.metadata?.uid as string | undefined;
      } else {
        // GroupVersionKind.String() of Go: "<group>/<version>, Kind=<kind>" (the group empty for the core group).
        const version = ref.apiVersion?.includes('/') ? ref.apiVersion.slice(ref.apiVersion.indexOf('/') + 1) : (ref.apiVersion ?? '');
        const gvk = `${group}/${version}, Kind=${ref.kind ?? ''}`;
        throw badRequest(`cannot bind token for serviceaccount "${name}" to object of type ${gvk}`);
      }
      if (ref.uid && uid !== ref.uid) {
        throw conflict(
          { group, resource },
          refName,
          `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
        );
      }
    }

    if (this.o.maxExpirationSeconds > 0 && req.spec.expirationSeconds > this.o.maxExpirationSeconds) {
      ctx.warnings?.push(`requested expiration of ${req.spec.expirationSeconds} seconds shortened to ${this.o.maxExpirationSeconds} seconds`);
      req.spec.expirationSeconds = this.o.maxExpirationSeconds;
    }
    let exp = req.spec.expirationSeconds;
    let warnAfter = 0;
    if (this.o.extendExpiration && pod && exp === warnOnlyBoundTokenExpirationSeconds && this.isKubeAudiences(req.spec.audiences)) {
      warnAfter = exp;
      exp = this.o.maxExpirationSeconds > expirationExtensionSeconds ? this.o.maxExpirationSeconds : expirationExtensionSeconds;
    }

    const claims = boundTokenClaims({
      serviceAccount,
      pod,
      podNode,
      secret,
      node,
      audiences: req.spec.audiences,
      expirationSeconds: exp,
      warnAfterSeconds: warnAfter,
      nowSeconds: Math.floor(nowMs / 1000),
    });
    const token = await this.o.generator.generateToken(claims);
    return {
      ...req,
      apiVersion: `${tokenRequestGroup}/v1`,
      kind: tokenRequestKind,
      status: { token, expirationTimestamp: rfc3339(nowMs + req.spec.expirationSeconds * 1000) },
    } as StoredObject;
  }
}
