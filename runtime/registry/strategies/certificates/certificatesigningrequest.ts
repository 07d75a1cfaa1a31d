/**
 * CertificateSigningRequest strategies, as upstream's pkg/registry/certificates/certificates: the requester is
 * recorded from the request (never the body), the spec never changes after create, and each of the three ways to
 * write a request changes only its part: the resource its metadata, /approval the Approved and Denied conditions,
 * /status the certificate and the other conditions.
 */
import type { UserInfo } from '../../../auth/user.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';
import { validateCertificateSigningRequest, validateCertificateSigningRequestUpdate, type SubresourceAllowance } from '../../../certificates/validation.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { nowTime } from '../../objectmeta.ts';
import { StatusStrategy } from '../../status-strategy.ts';
import { DefaultStrategy, registerStrategy, registerSubresourceStrategy, type Strategy } from '../../strategy.ts';
import { preferUpstream } from '../../../machinery/field-errors.ts';

const group = 'certificates.k8s.io';

class CertificateSigningRequestStrategy extends DefaultStrategy {
  /** Upstream's CSR strategy keeps no metadata.generation (its spec never changes). */
  protected override readonly tracksGeneration = false;

  /** Who asked goes into spec (username, uid, groups, extra); a new request has no status of its own. */
  override prepareForCreate(obj: StoredObject, requester?: UserInfo): void {
    super.prepareForCreate(obj);
    const spec = (obj.spec ??= {});
    delete spec.username;
    delete spec.uid;
    delete spec.groups;
    delete spec.extra;
    if (requester) {
      if (requester.name) spec.username = requester.name;
      if (requester.uid) spec.uid = requester.uid;
      if (requester.groups.length) spec.groups = [...requester.groups];
      if (requester.extra && Object.keys(requester.extra).length) spec.extra = structuredClone(requester.extra);
    }
    obj.status = {};
  }

  /** Updates of the resource itself change metadata only. */
  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    obj.spec = structuredClone(old.spec);
    if (old.status === undefined) delete obj.status;
    else obj.status = structuredClone(old.status);
  }

  /** Upstream's checks are the word on the fields they cover (a missing request is Invalid, not also Required). */
  override validate(obj: StoredObject): FieldError[] {
    return preferUpstream(super.validate(obj), validateCertificateSigningRequest(obj), this.fieldOrder());
  }

  override validateUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    return this.validateUpdateAllowing(obj, old, {});
  }

  /** The update checks, with what the subresource being written may change. */
  validateUpdateAllowing(obj: StoredObject, old: StoredObject, allow: SubresourceAllowance): FieldError[] {
    return [...preferUpstream(super.validateUpdate(obj, old), validateCertificateSigningRequest(obj, old), this.fieldOrder()), ...validateCertificateSigningRequestUpdate(obj, old, allow)];
  }
}

/** `/status`: the signer's part: the certificate and conditions other than Approved and Denied. */
class CertificateSigningRequestStatusStrategy extends StatusStrategy {
  constructor(private readonly csr: CertificateSigningRequestStrategy) {
    super(csr);
  }

  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    // Approved and Denied stay as stored; adding or removing one is refused by validation.
    preserveConditionInstances(obj, old, 'Approved');
    preserveConditionInstances(obj, old, 'Denied');
    populateConditionTimestamps(obj, old);
  }

  override validateUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    return this.csr.validateUpdateAllowing(obj, old, { certificate: true });
  }
}

/** `/approval`: the approver's part: the conditions, nothing else. */
class CertificateSigningRequestApprovalStrategy extends StatusStrategy {
  override readonly subresource: string = 'approval';

  constructor(private readonly csr: CertificateSigningRequestStrategy) {
    super(csr);
  }

  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    populateConditionTimestamps(obj, old);
    const conditions = obj.status?.conditions;
    super.prepareForUpdate(obj, old);
    obj.status = { ...structuredClone(old.status ?? {}) };
    if (conditions === undefined) delete obj.status.conditions;
    else obj.status.conditions = conditions;
  }

  override validateUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    return this.csr.validateUpdateAllowing(obj, old, { approvalConditions: true });
  }
}

function conditionsOf(obj: StoredObject): StoredObject[] {
  return Array.isArray(obj.status?.conditions) ? obj.status.conditions : [];
}

/** Puts the stored instances of conditions of `type` back in place, when their number is unchanged. */
function preserveConditionInstances(obj: StoredObject, old: StoredObject, type: string): void {
  const next = conditionsOf(obj);
  const oldIdx = conditionsOf(old).flatMap((c, i) => (c?.type === type ? [i] : []));
  const newIdx = next.flatMap((c, i) => (c?.type === type ? [i] : []));
  if (oldIdx.length !== newIdx.length) return;
  oldIdx.forEach((o, i) => (next[newIdx[i]!] = structuredClone(conditionsOf(old)[o]!)));
}

/** Conditions without times get now; an unchanged type and status keeps its stored lastTransitionTime. */
function populateConditionTimestamps(obj: StoredObject, old: StoredObject): void {
  const now = nowTime();
  for (const c of conditionsOf(obj)) {
    if (!c || typeof c !== 'object') continue;
    c.lastUpdateTime ||= now;
    if (!c.lastTransitionTime) {
      const same = conditionsOf(old).find((o) => o?.type === c.type && o?.status === c.status && o?.lastTransitionTime);
      c.lastTransitionTime = same?.lastTransitionTime ?? now;
    }
  }
}

registerStrategy(group, 'CertificateSigningRequest', (kind, schema, config) => new CertificateSigningRequestStrategy(kind, schema, config));
const asCSR = (main: Strategy) => main as CertificateSigningRequestStrategy;
registerSubresourceStrategy(group, 'CertificateSigningRequest', 'status', (main) => new CertificateSigningRequestStatusStrategy(asCSR(main)));
registerSubresourceStrategy(group, 'CertificateSigningRequest', 'approval', (main) => new CertificateSigningRequestApprovalStrategy(asCSR(main)));
