/**
 * Discovery as the aggregator serves it: this server's own group versions merged with those of aggregated
 * servers, groups ordered by `groupPriorityMinimum` (highest first, ties by name) and versions by `versionPriority`
 * (highest first, ties in Kubernetes version order), as upstream's `/apis` handler and aggregated discovery manager
 * order them. Built-in group versions rank by upstream's priority table, custom resource ones at 1000/100, remote
 * ones by their APIService. `apiregistration.k8s.io` comes first in `/apis`, as upstream puts it.
 *
 * Each remote group version's resources are read from its server (`/apis/<group>/<version>`, legacy discovery, which
 * every aggregated server serves) when it becomes available and every minute after; aggregated discovery shows
 * them `Stale` while the APIService is unavailable, and leaves out group versions never read. Legacy `/apis`
 * lists every registered group version, available or not, as upstream does.
 */
import {
  aggregatedDiscovery,
  etagOf,
  type APIGroup,
  type APIGroupDiscovery,
  type APIGroupDiscoveryList,
  type APIGroupList,
  type APIResourceDiscovery,
  type APIResourceList,
  type APIVersionDiscovery,
  type CachedDocument,
} from '../endpoints/discovery.ts';
import { isAvailable, type APIServiceObject } from './apiservice-cache.ts';
import { RemoteDocuments } from './remote-documents.ts';
import { builtInPriority, compareKubeAwareVersions, customResourcePriority } from './priorities.ts';

interface Entry {
  group: string;
  version: string;
  groupPriority: number;
  versionPriority: number;
  /** The APIService when the group version is served elsewhere. */
  remote?: APIServiceObject;
}

interface RemoteResources {
  version: APIVersionDiscovery;
  /** The legacy document as the server gave it, for `/apis/<group>/<version>` when unavailable. */
  list: APIResourceList;
}

/** A legacy APIResourceList as an aggregated discovery version (subresources folded under their resource). */
export function versionDiscoveryOf(group: string, version: string, list: APIResourceList): APIVersionDiscovery {
  const byName = new Map<string, APIResourceDiscovery>();
  const subs: APIResourceList['resources'] = [];
  for (const r of list.resources ?? []) {
    if (r.name.includes('/')) {
      subs.push(r);
      continue;
    }
    const d: APIResourceDiscovery = {
      resource: r.name,
      responseKind: { group: r.group ?? '', version: r.version ?? '', kind: r.kind },
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: r.singularName ?? '',
      verbs: [...(r.verbs ?? [])],
    };
    if (r.shortNames?.length) d.shortNames = [...r.shortNames];
    if (r.categories?.length) d.categories = [...r.categories];
    byName.set(r.name, d);
  }
  for (const s of subs) {
    const [parent, sub] = s.name.split('/', 2);
    const p = byName.get(parent);
    if (!p) continue;
    (p.subresources ??= []).push({ subresource: sub, responseKind: { group: s.group ?? '', version: s.version ?? '', kind: s.kind }, verbs: [...(s.verbs ?? [])] });
  }
  return { version, resources: [...byName.values()].sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0)), freshness: 'Current' };
}

export class MergedDiscovery extends RemoteDocuments<RemoteResources> {
  protected readonly what = 'discovery';
  private docs: { key: string; byName: Map<string, CachedDocument | undefined> } = { key: '', byName: new Map() };

  protected async read(s: APIServiceObject): Promise<RemoteResources> {
    const group = s.spec?.group ?? '';
    const version = s.spec?.version ?? '';
    const res = await this.transport.get(s, `/apis/${group}/${version}`, { timeoutMs: 10_000 });
    if (res.status !== 200) throw new Error(`discovery of ${group}/${version} answered ${res.status}`);
    const list = JSON.parse(res.body.toString('utf8')) as APIResourceList;
    return { list, version: versionDiscoveryOf(group, version, list) };
  }

  protected same(a: RemoteResources, b: RemoteResources): boolean {
    return JSON.stringify(a.list) === JSON.stringify(b.list);
  }

  /** Every group version served, local and remote, in discovery order (named groups only). */
  private entries(): Entry[] {
    const out: Entry[] = [];
    const remoteNames = new Set<string>();
    for (const s of this.cache.remotes()) {
      const group = s.spec?.group ?? '';
      if (!group) continue;
      remoteNames.add(`${group}/${s.spec?.version}`);
      out.push({ group, version: s.spec?.version ?? '', groupPriority: s.spec?.groupPriorityMinimum ?? 0, versionPriority: s.spec?.versionPriority ?? 0, remote: s });
    }
    for (const gv of this.scheme.allGroupVersions()) {
      if (!gv.group || remoteNames.has(`${gv.group}/${gv.version}`)) continue;
      const p = builtInPriority(gv) ?? customResourcePriority;
      out.push({ group: gv.group, version: gv.version, groupPriority: p.group, versionPriority: p.version });
    }
    const groupPriority = new Map<string, number>();
    for (const e of out) groupPriority.set(e.group, Math.max(groupPriority.get(e.group) ?? 0, e.groupPriority));
    // apiregistration.k8s.io leads, as upstream's /apis handler always lists it first.
    const rank = (g: string) => (g === 'apiregistration.k8s.io' ? Number.MAX_SAFE_INTEGER : groupPriority.get(g)!);
    return out.sort(
      (a, b) => rank(b.group) - rank(a.group) || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0) || b.versionPriority - a.versionPriority || compareKubeAwareVersions(a.version, b.version),
    );
  }

  private grouped(): Map<string, Entry[]> {
    const out = new Map<string, Entry[]>();
    for (const e of this.entries()) {
      const list = out.get(e.group) ?? [];
      list.push(e);
      out.set(e.group, list);
    }
    return out;
  }

  private cached(name: string, build: () => unknown): CachedDocument | undefined {
    const key = `${this.scheme.version}/${this.cache.version}/${this.generation}`;
    if (this.docs.key !== key) this.docs = { key, byName: new Map() };
    if (!this.docs.byName.has(name)) {
      const value = build();
      let doc: CachedDocument | undefined;
      if (value !== undefined) {
        const body = JSON.stringify(value);
        doc = { body, etag: etagOf(body) };
      }
      this.docs.byName.set(name, doc);
    }
    return this.docs.byName.get(name);
  }

  private static apiGroupOf(group: string, entries: Entry[]): Omit<APIGroup, 'kind' | 'apiVersion'> {
    const versions = entries.map((e) => ({ groupVersion: `${group}/${e.version}`, version: e.version }));
    return { name: group, versions, preferredVersion: versions[0] };
  }

  /** Legacy `/apis`. */
  groupList(): CachedDocument {
    return this.cached('legacy:/apis', (): APIGroupList => ({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...this.grouped()].map(([g, entries]) => MergedDiscovery.apiGroupOf(g, entries)),
    }))!;
  }

  /** The resources each remote APIService's server listed when last read (APIServices never read are left out). */
  remoteResources(): { apiService: APIServiceObject; list: APIResourceList }[] {
    return this.cache.remotes().flatMap((s) => {
      const read = this.remote.get(s.metadata.name);
      return read ? [{ apiService: s, list: read.list }] : [];
    });
  }

  /** True when some version of `group` is served elsewhere (the aggregator answers `/apis/<group>` itself). */
  hasRemoteVersions(group: string): boolean {
    return this.cache.remotes().some((s) => s.spec?.group === group);
  }

  /** Legacy `/apis/<group>`, or undefined when nothing of the group is served. */
  group(group: string): CachedDocument | undefined {
    return this.cached(`legacy:/apis/${group}`, () => {
      const entries = this.grouped().get(group);
      return entries && ({ kind: 'APIGroup', apiVersion: 'v1', ...MergedDiscovery.apiGroupOf(group, entries) } satisfies APIGroup);
    });
  }

  /** Aggregated `/apis` (`apidiscovery.k8s.io/v2`). */
  aggregated(): CachedDocument {
    return this.cached('aggregated:/apis', (): APIGroupDiscoveryList => {
      const local = new Map<string, APIVersionDiscovery>();
      for (const item of aggregatedDiscovery(this.scheme, 'apis').items) for (const v of item.versions) local.set(`${item.metadata.name}/${v.version}`, v);
      const items: APIGroupDiscovery[] = [];
      for (const [group, entries] of this.grouped()) {
        const versions: APIVersionDiscovery[] = [];
        for (const e of entries) {
          if (!e.remote) {
            const v = local.get(`${group}/${e.version}`);
            if (v) versions.push(v);
            continue;
          }
          const r = this.remote.get(e.remote.metadata.name);
          if (r) versions.push(isAvailable(e.remote) ? r.version : { ...r.version, freshness: 'Stale' });
        }
        if (versions.length) items.push({ metadata: { name: group }, versions });
      }
      return { apiVersion: 'apidiscovery.k8s.io/v2', kind: 'APIGroupDiscoveryList', metadata: {}, items };
    })!;
  }
}
