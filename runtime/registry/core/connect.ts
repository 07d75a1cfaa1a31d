/**
 * The subresources that reach a kubelet or a backend through the API server: `pods/log`, `pods/exec`,
 * `pods/attach`, `pods/portforward`, `pods/proxy`, `nodes/proxy`, `services/proxy` (upstream's LogREST,
 * ExecREST, ..., ProxyREST). kube-ts finds the backend as upstream does and answers upstream's Status when there
 * is none (no node assigned, no node address, no endpoints) or it cannot be reached; a log of a pod without a
 * node is empty. It does not proxy streams to kubelets (it holds no kubelet client certificate): a kubelet that
 * answers is reported as unreachable through the API server.
 */
import { connect as tcpConnect } from 'node:net';
import { goQuote } from '../../machinery/gofmt.ts';
import { forbidden, invalid, type FieldError } from '../../machinery/field-errors.ts';
import * as status from '../../machinery/status.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { ConnecterREST, ConnectRequest } from '../rest.ts';
import type { RegistryStore, RequestContext } from '../store.ts';
import { goDialError } from './dial-errors.ts';

export interface ConnectStores {
  pods(): RegistryStore | undefined;
  nodes(): RegistryStore | undefined;
  services(): RegistryStore | undefined;
  endpoints(): RegistryStore | undefined;
}

/** kube-apiserver's --kubelet-preferred-address-types default and kubelet port. */
const preferredAddressTypes = ['Hostname', 'InternalDNS', 'InternalIP', 'ExternalDNS', 'ExternalIP'];
const defaultKubeletPort = 10250;
/** --kubelet-timeout: how long a kubelet may take to accept a connection. */
const kubeletDialTimeoutMs = 5000;

/** Upstream's StreamObject without a stream: 204 No Content. */
const noContent = { body: new Uint8Array(), contentType: 'text/plain', code: 204 };

function need(store: RegistryStore | undefined, what: string): RegistryStore {
  if (!store) throw status.internalError(`${what} are not served`);
  return store;
}

/** Opens and closes a TCP connection: undefined when it was accepted, else Go's dial error text. */
function dial(host: string, port: number, timeoutMs = kubeletDialTimeoutMs): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(goDialError(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }), host, port));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      resolve(goDialError(e as NodeJS.ErrnoException, host, port));
    });
  });
}

/** Go's %v of []NodeAddress: `[{InternalIP 10.0.0.1} {Hostname n1}]`. */
function formatAddresses(addresses: StoredObject[]): string {
  return `[${addresses.map((a) => `{${a.type ?? ''} ${a.address ?? ''}}`).join(' ')}]`;
}

/** Upstream's NodeConnectionInfoGetter: the node's preferred address and its kubelet port. */
async function kubeletOf(stores: ConnectStores, ctx: RequestContext, nodeName: string): Promise<{ host: string; port: number }> {
  const node = await need(stores.nodes(), 'nodes').get({ ...ctx, namespace: '' }, nodeName);
  const addresses: StoredObject[] = node.status?.addresses ?? [];
  for (const type of preferredAddressTypes) {
    const found = addresses.find((a) => a.type === type);
    if (found) {
      const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
      return { host: found.address, port: port > 0 ? port : defaultKubeletPort };
    }
  }
  throw status.failure(500, undefined, `no preferred addresses found; known addresses: ${formatAddresses(addresses)}`);
}

/** Go's `[a b c]` of the names of every container, init, regular and ephemeral. */
function allContainerNames(pod: StoredObject): string[] {
  const spec = pod.spec ?? {};
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].map((c: StoredObject) => c.name);
}

/** Upstream's validateContainer: the named container must exist; unnamed is fine when the pod has one. */
function containerOf(pod: StoredObject, container: string): string {
  const name = pod.metadata.name;
  if (!container) {
    const containers: StoredObject[] = pod.spec?.containers ?? [];
    if (containers.length === 1) return containers[0].name;
    if (containers.length === 0) throw status.badRequest(`a container name must be specified for pod ${name}`);
    throw status.badRequest(`a container name must be specified for pod ${name}, choose one of: [${allContainerNames(pod).join(' ')}]`);
  }
  if (!allContainerNames(pod).includes(container)) throw status.badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/** An integer query parameter, or undefined; a malformed one is upstream's 400 from the options' conversion. */
function intOption(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  if (!/^-?\d+$/.test(v)) throw status.badRequest(`strconv.ParseInt: parsing ${goQuote(v)}: invalid syntax`);
  return Number(v);
}

const boolOption = (query: URLSearchParams, name: string) => ['true', '1'].includes(query.get(name) ?? '');

/** A v1 options object from the query, as upstream decodes it for admission (false and empty fields left out). */
function optionsObject(kind: string, query: URLSearchParams, fields: { bools?: string[]; strings?: string[]; lists?: string[]; ints?: string[] }): StoredObject {
  const obj: StoredObject = { kind, apiVersion: 'v1' };
  for (const f of fields.bools ?? []) if (boolOption(query, f)) obj[f] = true;
  for (const f of fields.strings ?? []) if (query.get(f)) obj[f] = query.get(f);
  for (const f of fields.lists ?? []) if (query.getAll(f).length) obj[f] = query.getAll(f);
  for (const f of fields.ints ?? []) {
    const values = query.getAll(f).flatMap((v) => v.split(',')).filter(Boolean).map(Number).filter(Number.isInteger);
    if (values.length) obj[f] = values;
  }
  return obj;
}

/** A proxy's options: the path after the subresource (or the `path` query parameter). */
function proxyOptions(kind: string, req: ConnectRequest): StoredObject {
  const path = req.subpath ? `/${req.subpath}` : (req.query.get('path') ?? '');
  return { kind, apiVersion: 'v1', ...(path ? { path } : {}) };
}

/** `pods/<name>/log`: the container's log, from its node's kubelet. */
export class PodLogREST implements ConnecterREST {
  readonly verbs = ['get'];
  constructor(private readonly stores: ConnectStores) {}

  async connect(ctx: RequestContext, name: string, req: ConnectRequest): Promise<{ body: Uint8Array; contentType: string; code?: number }> {
    const q = req.query;
    const tailLines = intOption(q, 'tailLines');
    const limitBytes = intOption(q, 'limitBytes');
    const sinceSeconds = intOption(q, 'sinceSeconds');
    const sinceTime = q.get('sinceTime') ?? undefined;
    const errors: FieldError[] = [];
    if (tailLines !== undefined && tailLines < 0) errors.push(invalid('tailLines', tailLines, 'must be greater than or equal to 0'));
    if (limitBytes !== undefined && limitBytes < 1) errors.push(invalid('limitBytes', limitBytes, 'must be greater than 0'));
    if (sinceSeconds !== undefined && sinceTime !== undefined) errors.push(forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
    else if (sinceSeconds !== undefined && sinceSeconds < 1) errors.push(invalid('sinceSeconds', sinceSeconds, 'must be greater than 0'));
    if (errors.length) throw status.invalid('', 'PodLogOptions', name, errors);

    const pod = await need(this.stores.pods(), 'pods').get(ctx, name);
    const container = containerOf(pod, q.get('container') ?? '');
    // A pod not yet scheduled has no log anywhere: upstream has no location to stream from, and answers 204.
    if (!pod.spec?.nodeName) return noContent;
    const kubelet = await kubeletOf(this.stores, ctx, pod.spec.nodeName);
    const params = new URLSearchParams();
    for (const flag of ['follow', 'previous', 'timestamps']) if (boolOption(q, flag)) params.set(flag, 'true');
    if (sinceSeconds !== undefined) params.set('sinceSeconds', String(sinceSeconds));
    if (sinceTime !== undefined) params.set('sinceTime', sinceTime);
    if (tailLines !== undefined) params.set('tailLines', String(tailLines));
    if (limitBytes !== undefined) params.set('limitBytes', String(limitBytes));
    params.sort();
    const query = params.toString();
    const url = `https://${hostPort(kubelet.host, kubelet.port)}/containerLogs/${pod.metadata.namespace}/${pod.metadata.name}/${container}${query ? `?${query}` : ''}`;
    const failure = (await dial(kubelet.host, kubelet.port)) ?? 'remote error: tls: kube-ts has no kubelet client certificate';
    throw status.failure(500, undefined, `Get "${url}": ${failure}`);
  }
}

function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** `pods/<name>/exec`, `attach` and `portforward`: a stream to the pod's kubelet. */
export class PodStreamREST implements ConnecterREST {
  readonly verbs = ['create', 'get'];
  constructor(
    private readonly stores: ConnectStores,
    /** portforward names no container. */
    private readonly subresource: 'exec' | 'attach' | 'portforward',
  ) {}

  options(req: ConnectRequest): StoredObject {
    const q = req.query;
    if (this.subresource === 'portforward') return optionsObject('PodPortForwardOptions', q, { ints: ['ports'] });
    const streams = { bools: ['stdin', 'stdout', 'stderr', 'tty'], strings: ['container'] };
    return this.subresource === 'exec' ? optionsObject('PodExecOptions', q, { ...streams, lists: ['command'] }) : optionsObject('PodAttachOptions', q, streams);
  }

  async connect(ctx: RequestContext, name: string, req: ConnectRequest): Promise<{ body: Uint8Array; contentType: string }> {
    const pod = await need(this.stores.pods(), 'pods').get(ctx, name);
    if (this.subresource !== 'portforward') containerOf(pod, req.query.get('container') ?? '');
    if (!pod.spec?.nodeName) throw status.badRequest(`pod ${name} does not have a host assigned`);
    const kubelet = await kubeletOf(this.stores, ctx, pod.spec.nodeName);
    const failure = (await dial(kubelet.host, kubelet.port)) ?? 'remote error: tls: kube-ts has no kubelet client certificate';
    throw status.failure(500, undefined, `error dialing backend: ${failure}`);
  }
}

/** `name`, `name:port` or `scheme:name:port`, as upstream's SplitSchemeNamePort. */
function splitSchemeNamePort(id: string): { scheme: string; name: string; port: string } | undefined {
  const parts = id.split(':');
  if (parts.length === 1) return parts[0] ? { scheme: '', name: parts[0], port: '' } : undefined;
  if (parts.length === 2) return parts[0] ? { scheme: '', name: parts[0], port: parts[1] } : undefined;
  if (parts.length === 3 && (parts[0] === 'http' || parts[0] === 'https') && parts[1]) return { scheme: parts[0], name: parts[1], port: parts[2] };
  return undefined;
}

function unreachable(failure: string): status.StatusError {
  return status.serviceUnavailable(`error trying to reach service: ${failure}`);
}

/** Whether an IPv4 address may be proxied to (global unicast: not loopback, link-local, multicast or unspecified). */
function isGlobalUnicast(ip: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return ip.includes(':') && !/^(::1?|fe80:|ff)/i.test(ip);
  const [a, b] = [Number(m[1]), Number(m[2])];
  return !(a === 0 || a === 127 || a >= 224 || (a === 169 && b === 254) || ip === '255.255.255.255');
}

/** `pods/<name[:port]>/proxy[/path]`: HTTP to the pod's IP. */
export class PodProxyREST implements ConnecterREST {
  readonly verbs = ['create', 'delete', 'get', 'patch', 'update'];
  constructor(private readonly stores: ConnectStores) {}

  options(req: ConnectRequest): StoredObject {
    return proxyOptions('PodProxyOptions', req);
  }

  async connect(ctx: RequestContext, id: string): Promise<{ body: Uint8Array; contentType: string }> {
    const target = splitSchemeNamePort(id);
    if (!target) throw status.badRequest(`invalid pod request "${id}"`);
    const pod = await need(this.stores.pods(), 'pods').get(ctx, target.name);
    let port = target.port;
    if (!port) for (const c of pod.spec?.containers ?? []) if (c.ports?.length) { port = String(c.ports[0].containerPort); break; }
    const ip: string = pod.status?.podIPs?.[0]?.ip ?? '';
    if (!ip || !isGlobalUnicast(ip)) throw status.badRequest('address not allowed');
    const failure = await dial(ip, Number(port || 80));
    throw unreachable(failure ?? 'kube-ts does not proxy to pods');
  }
}

/** `nodes/<name[:port]>/proxy[/path]`: HTTPS to the node's kubelet. */
export class NodeProxyREST implements ConnecterREST {
  readonly verbs = ['create', 'delete', 'get', 'patch', 'update'];
  constructor(private readonly stores: ConnectStores) {}

  options(req: ConnectRequest): StoredObject {
    return proxyOptions('NodeProxyOptions', req);
  }

  async connect(ctx: RequestContext, id: string): Promise<{ body: Uint8Array; contentType: string }> {
    const target = splitSchemeNamePort(id);
    if (!target) throw status.badRequest(`invalid node request "${id}"`);
    const kubelet = await kubeletOf(this.stores, ctx, target.name);
    const port = target.port ? Number(target.port) : kubelet.port;
    const failure = await dial(kubelet.host, port);
    throw unreachable(failure ?? 'remote error: tls: kube-ts has no kubelet client certificate');
  }
}

/** `services/<name[:port]>/proxy[/path]`: HTTP to one of the service's endpoints. */
export class ServiceProxyREST implements ConnecterREST {
  readonly verbs = ['create', 'delete', 'get', 'patch', 'update'];
  constructor(private readonly stores: ConnectStores) {}

  options(req: ConnectRequest): StoredObject {
    return proxyOptions('ServiceProxyOptions', req);
  }

  async connect(ctx: RequestContext, id: string): Promise<{ body: Uint8Array; contentType: string }> {
    const target = splitSchemeNamePort(id);
    if (!target) throw status.badRequest(`invalid service request "${id}"`);
    const svc = await need(this.stores.services(), 'services').get(ctx, target.name);
    if (svc.spec?.type === 'ExternalName') {
      const failure = await dial(svc.spec.externalName, Number(target.port || 80));
      throw unreachable(failure ?? 'kube-ts does not proxy to services');
    }
    const eps = await need(this.stores.endpoints(), 'endpoints').get(ctx, target.name);
    if (!eps.subsets?.length) throw status.serviceUnavailable(`no endpoints available for service "${target.name}"`);
    for (const subset of eps.subsets ?? []) {
      const port = (subset.ports ?? []).find((p: StoredObject) => !target.port || p.name === target.port || String(p.port) === target.port);
      const address = subset.addresses?.[0]?.ip;
      if (port && address) {
        const failure = await dial(address, port.port);
        throw unreachable(failure ?? 'kube-ts does not proxy to services');
      }
    }
    throw status.serviceUnavailable(`no endpoints available for service "${id}"`);
  }
}

