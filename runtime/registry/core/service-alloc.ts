/**
 * What a Service takes from the cluster's pools, as upstream's pkg/registry/core/service/storage (alloc.go and the
 * REST hooks of storage.go): IP family fields filled in, cluster IPs and node ports (and the health check node port
 * of `externalTrafficPolicy: Local` load balancers) claimed on create, claimed or given back on updates that change
 * type or ports, given back on delete. Each create or update is a transaction: what it claimed is given back if
 * the write fails, and what it gives up is released only once the write succeeded (better a leak, which repair
 * finds, than a value held twice).
 */
import { failure, internalError, invalid as invalidStatus, StatusError } from '../../machinery/status.ts';
import { invalid, type FieldError } from '../../machinery/field-errors.ts';
import type { StoredObject } from '../../storage/store.ts';
import { AllocationError, canonicalIPv4, type ServiceIPAllocator } from './service-ip-allocator.ts';
import type { ServiceNodePortAllocator } from './service-node-port-allocator.ts';
import { goIPs, isIPv6, needsHealthCheck, validateServiceClusterIPsRelatedFields } from './service-validation.ts';

export interface Transaction {
  commit(): Promise<void>;
  revert(): Promise<void>;
}

type Family = 'IPv4' | 'IPv6';

function refuse(svc: StoredObject, errors: FieldError[]): StatusError {
  return invalidStatus('', 'Service', svc.metadata?.name ?? '', errors);
}

const needsClusterIP = (svc: StoredObject) => svc.spec?.type !== 'ExternalName';
const needsNodePort = (svc: StoredObject) => svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';
const familyOf = (ip: string): Family => (isIPv6(ip) ? 'IPv6' : 'IPv4');
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const sameList = (a: unknown[] | undefined, b: unknown[] | undefined) => same(a ?? [], b ?? []);

/** Node ports a Service holds: its ports' and, when it needs one, its health check node port. */
export function serviceNodePorts(svc: StoredObject): number[] {
  const ports = ((svc.spec?.ports ?? []) as StoredObject[]).map((p) => p.nodePort).filter((n): n is number => typeof n === 'number' && n !== 0);
  if (needsHealthCheck(svc) && svc.spec?.healthCheckNodePort) ports.push(svc.spec.healthCheckNodePort);
  return [...new Set(ports)];
}

/** The cluster IPs a Service holds (none for ExternalName and headless Services). */
export function serviceClusterIPs(svc: StoredObject): string[] {
  if (!needsClusterIP(svc)) return [];
  const ips: string[] = svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []);
  return ips[0] === 'None' ? [] : ips.filter(Boolean);
}

/**
 * Node port claims of one write (upstream's PortAllocationOperation): claims happen at once, releases wait for
 * the commit; a dry run claims nothing and makes up ports above the range.
 */
class NodePortOperation {
  private readonly allocated: number[] = [];
  private readonly releaseDeferred: number[] = [];
  private committed = false;

  constructor(
    private readonly ports: ServiceNodePortAllocator,
    private readonly dryRun: boolean,
  ) {}

  async allocate(port: number): Promise<void> {
    if (this.dryRun) {
      if ((await this.ports.has(port)) || this.allocated.includes(port)) throw new AllocationError('Allocated', 'provided port is already allocated');
      this.allocated.push(port);
      return;
    }
    await this.ports.allocate(port);
    this.allocated.push(port);
  }

  async allocateNext(): Promise<number> {
    if (this.dryRun) {
      // As upstream: a made-up value one past the largest this operation holds, 32769 first.
      const next = (this.allocated.length ? Math.max(...this.allocated) : 32768) + 1;
      this.allocated.push(next);
      return next;
    }
    const port = await this.ports.allocateNext();
    this.allocated.push(port);
    return port;
  }

  releaseLater(port: number): void {
    this.releaseDeferred.push(port);
  }

  async commit(): Promise<void> {
    this.committed = true;
    if (this.dryRun) return;
    for (const p of this.releaseDeferred) await this.ports.release(p);
  }

  async rollback(): Promise<void> {
    if (this.dryRun || this.committed) return;
    for (const p of this.allocated) await this.ports.release(p);
  }
}

export class ServiceAllocators {
  /** The family of --service-cluster-ip-range, the only one this server serves. */
  readonly defaultFamily: Family = 'IPv4';

  constructor(
    readonly ips: ServiceIPAllocator,
    readonly nodePorts: ServiceNodePortAllocator,
  ) {}

  private hasFamily(f: string): boolean {
    return f === this.defaultFamily;
  }

  /**
   * Upstream's initIPFamilyFields: infers ipFamilyPolicy and ipFamilies, and refuses families and policies this
   * single-stack cluster cannot serve, with upstream's messages. Mutates `svc`.
   */
  initIPFamilyFields(svc: StoredObject, old?: StoredObject): void {
    const spec = svc.spec;
    if (!spec || spec.type === 'ExternalName') return;
    if (this.isMatchingPreferDualStack(svc, old)) return;
    if (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) {
      if (old?.spec?.ipFamilyPolicy) spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
      else if (spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0) spec.ipFamilyPolicy = 'RequireDualStack';
      else spec.ipFamilyPolicy = 'SingleStack';
    }
    const pre = validateServiceClusterIPsRelatedFields(svc);
    if (pre.length) throw refuse(svc, pre);
    const errors: FieldError[] = [];
    const policyErr = (detail: string) => errors.push({ type: 'FieldValueInvalid', field: 'spec.ipFamilyPolicy', detail: `${JSON.stringify(spec.ipFamilyPolicy)}: ${detail}` });
    if (old) {
      if (spec.ipFamilyPolicy === 'SingleStack') {
        if (sameList(old.spec?.clusterIPs, spec.clusterIPs) && (spec.clusterIPs?.length ?? 0) > 1) spec.clusterIPs = spec.clusterIPs.slice(0, 1);
        if (sameList(old.spec?.ipFamilies, spec.ipFamilies) && (spec.ipFamilies?.length ?? 0) > 1) spec.ipFamilies = spec.ipFamilies.slice(0, 1);
      } else {
        if ((spec.clusterIPs?.length ?? 0) > 0 && spec.clusterIPs.length < (old.spec?.clusterIPs?.length ?? 0)) policyErr("must be 'SingleStack' to release the secondary cluster IP");
        if ((spec.ipFamilies?.length ?? 0) > 0 && spec.ipFamilies.length < (old.spec?.ipFamilies?.length ?? 0)) policyErr("must be 'SingleStack' to release the secondary IP family");
      }
    }
    if (spec.ipFamilyPolicy === 'SingleStack') {
      if (spec.clusterIPs?.length === 2) policyErr("must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified");
      if (spec.ipFamilies?.length === 2) policyErr("must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified");
    }
    const ips: string[] = spec.clusterIPs ?? [];
    for (let i = 0; i < ips.length; i++) {
      if (ips[i] === 'None') break;
      const fam = familyOf(ips[i]);
      if (i >= (spec.ipFamilies?.length ?? 0)) {
        if (!this.hasFamily(fam)) errors.push({ type: 'FieldValueInvalid', field: `spec.clusterIPs[${i}]`, detail: `${goIPs(ips)}: ${fam} is not configured on this cluster` });
        else spec.ipFamilies = [...(spec.ipFamilies ?? []), fam];
      }
    }
    if (errors.length) throw refuse(svc, errors);
    if (spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0) {
      // Headless and selectorless: endpoints may be of either family, so both are allowed even here.
      if (!spec.ipFamilies?.length) spec.ipFamilies = [this.defaultFamily];
      if (spec.ipFamilies.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') spec.ipFamilies = [...spec.ipFamilies, spec.ipFamilies[0] === 'IPv4' ? 'IPv6' : 'IPv4'];
      return;
    }
    if (spec.ipFamilyPolicy === 'RequireDualStack') policyErr('this cluster is not configured for dual-stack services');
    (spec.ipFamilies ?? []).forEach((f: string, i: number) => {
      if (!this.hasFamily(f)) errors.push(invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
    });
    if (errors.length) throw refuse(svc, errors);
    if (!spec.ipFamilies?.length) spec.ipFamilies = [this.defaultFamily];
  }

  /** An update of a PreferDualStack Service that changes none of its IP fields keeps them as they are. */
  private isMatchingPreferDualStack(svc: StoredObject, old?: StoredObject): boolean {
    if (!old || svc.spec?.ipFamilyPolicy == null || old.spec?.type !== svc.spec?.type || !needsClusterIP(svc)) return false;
    if (svc.spec.ipFamilyPolicy !== 'PreferDualStack' || (old.spec?.ipFamilyPolicy != null && old.spec.ipFamilyPolicy !== 'PreferDualStack')) return false;
    return sameList(old.spec?.clusterIPs, svc.spec?.clusterIPs) && sameList(old.spec?.ipFamilies, svc.spec?.ipFamilies);
  }

  /** Claims the cluster IPs of `svc` (requested ones or free ones) and writes them into it; returns what it claimed. */
  private async allocClusterIPs(svc: StoredObject, dryRun: boolean): Promise<string[]> {
    const spec = svc.spec;
    if (!needsClusterIP(svc) || spec.clusterIPs?.[0] === 'None') return [];
    const ips: string[] = [...(spec.clusterIPs ?? [])];
    const claimed: string[] = [];
    try {
      for (let i = 0; i < (spec.ipFamilies ?? []).length; i++) {
        if (i >= ips.length) ips.push('');
        ips[i] = await this.allocIP(svc, ips[i], dryRun);
        if (!dryRun) claimed.push(ips[i]);
      }
    } catch (e) {
      for (const ip of claimed) await this.ips.release(ip);
      throw e;
    }
    spec.clusterIPs = ips;
    spec.clusterIP = ips[0];
    return claimed;
  }

  private async allocIP(svc: StoredObject, ip: string, dryRun: boolean): Promise<string> {
    if (!ip) {
      if (dryRun) return this.ips.range.network;
      try {
        return await this.ips.allocateNext();
      } catch (e) {
        throw internalError(`failed to allocate a serviceIP: ${(e as Error).message}`);
      }
    }
    try {
      if (dryRun) await this.ips.check(ip);
      else await this.ips.allocate(ip);
      return ip;
    } catch (e) {
      if (!(e instanceof AllocationError)) throw e;
      throw refuse(svc, [{ type: 'FieldValueInvalid', field: 'spec.clusterIPs', detail: `${goIPs(svc.spec.clusterIPs)}: failed to allocate IP ${canonicalIPv4(ip)}: ${e.message}` }]);
    }
  }

  private async releaseIPs(ips: string[]): Promise<void> {
    for (const ip of ips) if (!isIPv6(ip)) await this.ips.release(ip);
  }

  /** Claims what a new Service needs; mutates `svc`. */
  async allocateCreate(svc: StoredObject, dryRun: boolean): Promise<Transaction> {
    this.initIPFamilyFields(svc);
    const ips = await this.allocClusterIPs(svc, dryRun);
    const op = new NodePortOperation(this.nodePorts, dryRun);
    try {
      if (needsNodePort(svc)) await this.initNodePorts(svc, op);
      if (needsHealthCheck(svc)) await this.allocHealthCheckNodePort(svc, op);
    } catch (e) {
      await op.rollback();
      if (!dryRun) await this.releaseIPs(ips);
      throw e;
    }
    return {
      commit: () => op.commit(),
      revert: async () => {
        await op.rollback();
        if (!dryRun) await this.releaseIPs(ips);
      },
    };
  }

  /** Node ports for every port of a new Service (or the ones it names); equal `port`s of two protocols share one. */
  private async initNodePorts(svc: StoredObject, op: NodePortOperation): Promise<void> {
    const ports: StoredObject[] = svc.spec.ports ?? [];
    const byPort = new Map<number, number>();
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i];
      if (!p.nodePort && !this.shouldAllocateNodePorts(svc)) continue;
      const shared = byPort.get(p.port);
      if (shared === undefined) {
        const requested = ports.find((q) => q.port === p.port && q.nodePort)?.nodePort;
        if (requested) {
          await this.claimNodePort(svc, op, requested, i);
          p.nodePort = requested;
        } else {
          p.nodePort = await this.nextNodePort(op);
        }
        byPort.set(p.port, p.nodePort);
      } else if (p.nodePort !== shared) {
        if (!p.nodePort) p.nodePort = shared;
        else await this.claimNodePort(svc, op, p.nodePort, i);
      }
    }
  }

  private shouldAllocateNodePorts(svc: StoredObject): boolean {
    if (svc.spec?.type === 'NodePort') return true;
    return svc.spec?.type === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false;
  }

  private async claimNodePort(svc: StoredObject, op: NodePortOperation, port: number, index: number): Promise<void> {
    try {
      await op.allocate(port);
    } catch (e) {
      if (!(e instanceof AllocationError)) throw e;
      throw refuse(svc, [invalid(`spec.ports[${index}].nodePort`, port, e.message)]);
    }
  }

  private async nextNodePort(op: NodePortOperation): Promise<number> {
    try {
      return await op.allocateNext();
    } catch (e) {
      throw internalError(`failed to allocate a nodePort: ${(e as Error).message}`);
    }
  }

  private async allocHealthCheckNodePort(svc: StoredObject, op: NodePortOperation): Promise<void> {
    const requested: number = svc.spec.healthCheckNodePort ?? 0;
    if (requested) {
      try {
        await op.allocate(requested);
      } catch (e) {
        throw internalError(`failed to allocate requested HealthCheck NodePort ${requested}: ${(e as Error).message}`);
      }
      return;
    }
    try {
      svc.spec.healthCheckNodePort = await op.allocateNext();
    } catch (e) {
      throw internalError(`failed to allocate a HealthCheck NodePort 0: ${(e as Error).message}`);
    }
  }

  /**
   * What an update takes and gives up: IPs when the type moves to or from ExternalName, node ports when it moves
   * to or from NodePort/LoadBalancer or changes its ports, the health check port when it starts or stops needing
   * one. Mutates `svc`; `old` is the stored object.
   */
  async allocateUpdate(svc: StoredObject, old: StoredObject, dryRun: boolean): Promise<Transaction> {
    this.initIPFamilyFields(svc, old);
    let allocatedIPs: string[] = [];
    let releaseIPs: string[] = [];
    if (!this.isMatchingPreferDualStack(svc, old)) {
      if (old.spec?.type === 'ExternalName' && svc.spec?.type !== 'ExternalName') allocatedIPs = await this.allocClusterIPs(svc, dryRun);
      else if (old.spec?.clusterIPs?.[0] !== 'None' && old.spec?.type !== 'ExternalName' && svc.spec?.type === 'ExternalName') releaseIPs = serviceClusterIPs(old);
    }
    const op = new NodePortOperation(this.nodePorts, dryRun);
    try {
      if (needsNodePort(old) && (svc.spec?.type === 'ExternalName' || svc.spec?.type === 'ClusterIP')) {
        for (const p of portsOf(old)) op.releaseLater(p);
      }
      if (needsNodePort(svc)) await this.updateNodePorts(svc, old, op);
      const needed = needsHealthCheck(old);
      const needs = needsHealthCheck(svc);
      if (!needed && needs) await this.allocHealthCheckNodePort(svc, op);
      else if (needed && !needs && old.spec?.healthCheckNodePort) op.releaseLater(old.spec.healthCheckNodePort);
    } catch (e) {
      await op.rollback();
      if (!dryRun) await this.releaseIPs(allocatedIPs);
      throw e;
    }
    return {
      commit: async () => {
        await op.commit();
        if (!dryRun) await this.releaseIPs(releaseIPs);
      },
      revert: async () => {
        await op.rollback();
        if (!dryRun) await this.releaseIPs(allocatedIPs);
      },
    };
  }

  private async updateNodePorts(svc: StoredObject, old: StoredObject, op: NodePortOperation): Promise<void> {
    const oldPorts = portsOf(old);
    const claimed = new Set<number>();
    const seen = new Set<string>();
    const ports: StoredObject[] = svc.spec.ports ?? [];
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i];
      if (!p.nodePort && !this.shouldAllocateNodePorts(svc)) continue;
      if (p.nodePort) {
        if (!oldPorts.includes(p.nodePort) && !claimed.has(p.nodePort)) {
          await this.claimNodePort(svc, op, p.nodePort, i);
          claimed.add(p.nodePort);
        }
      } else {
        p.nodePort = await this.nextNodePort(op);
      }
      const key = `${p.protocol}/${p.nodePort}`;
      // Upstream returns a plain Go error here, which the server answers as a 500 without a reason.
      if (seen.has(key)) throw failure(500, undefined, `duplicate nodePort: {${p.protocol} ${p.nodePort}}`);
      seen.add(key);
    }
    const newPorts = portsOf(svc);
    for (const p of oldPorts) if (!newPorts.includes(p)) op.releaseLater(p);
  }

  /** Gives back everything a deleted Service held. */
  async releaseAllocatedResources(svc: StoredObject): Promise<void> {
    await this.releaseIPs(serviceClusterIPs(svc));
    for (const p of portsOf(svc)) await this.nodePorts.release(p);
    if (needsHealthCheck(svc) && svc.spec?.healthCheckNodePort > 0) await this.nodePorts.release(svc.spec.healthCheckNodePort);
  }
}

function portsOf(svc: StoredObject): number[] {
  return ((svc.spec?.ports ?? []) as StoredObject[]).map((p) => p.nodePort).filter((n): n is number => typeof n === 'number' && n !== 0);
}

// ---- field fix-ups before allocation (upstream's storage.go) ----

/**
 * Keeps clusterIP and clusterIPs in step (upstream's normalizeClusterIPs): an old client that sets only the
 * singular field gets the plural one, and an update that leaves one of them out keeps or clears it with the other.
 */
export function normalizeClusterIPs(svc: StoredObject, old?: StoredObject): void {
  const spec = svc.spec;
  if (!spec) return;
  if (!old) {
    if (spec.clusterIP && !(spec.clusterIPs?.length)) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  const o = old.spec ?? {};
  if ((o.clusterIPs?.length ?? 0) > 0 && !(spec.clusterIPs?.length) && (o.clusterIP ?? '') === (spec.clusterIP ?? '')) spec.clusterIPs = o.clusterIPs;
  if ((o.clusterIP ?? '') !== (spec.clusterIP ?? '')) {
    const sameIPs = sameList(o.clusterIPs, spec.clusterIPs);
    if (o.clusterIP && !spec.clusterIP) {
      if (sameIPs) delete spec.clusterIPs;
    } else if (sameIPs) {
      spec.clusterIPs = [spec.clusterIP];
    }
  }
}

/**
 * Values the server chose that an update leaves out are kept (upstream's patchAllocatedValues), so re-sending the
 * manifest that created a Service does not ask for new ones.
 */
export function patchAllocatedValues(svc: StoredObject, old: StoredObject): void {
  const spec = svc.spec;
  if (!spec) return;
  const o = old.spec ?? {};
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!spec.clusterIP && o.clusterIP) spec.clusterIP = o.clusterIP;
    if (!(spec.clusterIPs?.length) && (o.clusterIPs?.length ?? 0) > 0) spec.clusterIPs = o.clusterIPs;
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    const newUsed = new Set(portsOf(svc));
    const used = new Set(portsOf(old).filter((p) => newUsed.has(p)));
    const byName = new Map<string, number>(((o.ports ?? []) as StoredObject[]).map((p) => [p.name ?? '', p.nodePort ?? 0]));
    for (const p of (spec.ports ?? []) as StoredObject[]) {
      if (p.nodePort) continue;
      const was = byName.get(p.name ?? '') ?? 0;
      if (was && !used.has(was)) p.nodePort = was;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(svc) && !spec.healthCheckNodePort && o.healthCheckNodePort) spec.healthCheckNodePort = o.healthCheckNodePort;
}

/**
 * Clears what a type change leaves meaningless, unless the client changed it too (upstream's
 * dropTypeDependentFields): cluster IPs and families leaving for ExternalName, node ports leaving
 * NodePort/LoadBalancer, the health check port, allocateLoadBalancerNodePorts, loadBalancerClass,
 * externalTrafficPolicy, and the load balancer status.
 */
export function dropTypeDependentFields(svc: StoredObject, old: StoredObject): void {
  const spec = svc.spec;
  if (!spec) return;
  const o = old.spec ?? {};
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if ((o.clusterIP ?? '') === (spec.clusterIP ?? '') && sameList(o.clusterIPs, spec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (same(o.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
    if ((o.ipFamilyPolicy ?? '') === (spec.ipFamilyPolicy ?? '')) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(svc)) {
    const oldPorts = new Set(portsOf(old));
    if (portsOf(svc).every((p) => oldPorts.has(p))) for (const p of (spec.ports ?? []) as StoredObject[]) delete p.nodePort;
  }
  if (needsHealthCheck(old) && !needsHealthCheck(svc) && (o.healthCheckNodePort ?? 0) === (spec.healthCheckNodePort ?? 0)) delete spec.healthCheckNodePort;
  if (o.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts != null && o.allocateLoadBalancerNodePorts != null && spec.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if ((o.loadBalancerClass ?? null) === (spec.loadBalancerClass ?? null)) delete spec.loadBalancerClass;
  }
  const external = (s: StoredObject) => s.spec?.type === 'LoadBalancer' || s.spec?.type === 'NodePort' || (s.spec?.type === 'ClusterIP' && (s.spec?.externalIPs?.length ?? 0) > 0);
  if (external(old) && !external(svc) && (o.externalTrafficPolicy ?? '') === (spec.externalTrafficPolicy ?? '')) delete spec.externalTrafficPolicy;
  // Load balancer de-provisioning is asynchronous, but the status says at once that there is none.
  if (spec.type !== 'LoadBalancer') svc.status = { ...svc.status, loadBalancer: {} };
}
