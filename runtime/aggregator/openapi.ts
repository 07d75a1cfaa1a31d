/**
 * OpenAPI of aggregated servers merged into this server's: each available remote group version's v3 document
 * (`apis/<group>/<version>` from the server's own `/openapi/v3` index) is read when it becomes available and every
 * minute after, listed in our `/openapi/v3` index under its own content hash and served from memory; its paths
 * and definitions are also merged into `/openapi/v2`. Documents of an APIService that goes away go with it.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { openapiV2Document, openapiV3Index } from '../endpoints/openapi.ts';
import { etagOf, type CachedDocument } from '../endpoints/discovery.ts';
import type { Scheme } from '../machinery/scheme.ts';
import { isAvailable, isLocal, type APIServiceCache, type APIServiceObject } from './apiservice-cache.ts';
import type { AggregatorTransport } from './transport.ts';

interface RemoteSpec {
  path: string;
  v3?: { body: string; hash: string; etag: string };
  v2?: { paths: Record<string, unknown>; definitions: Record<string, unknown> };
}

const hashOf = (body: string) => createHash('sha512').update(body).digest('hex').toUpperCase();

export class MergedOpenAPI {
  private readonly remote = new Map<string, RemoteSpec>();
  private readonly refreshedAt = new Map<string, number>();
  private generation = 0;
  private docs: { key: string; v3Index?: CachedDocument; v2?: CachedDocument } = { key: '' };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly scheme: Scheme,
    private readonly cache: APIServiceCache,
    private readonly transport: AggregatorTransport,
    private readonly log: Logger,
    private readonly refreshMs = 60_000,
  ) {}

  start(): void {
    this.cache.onChange((type, s) => {
      if (type === 'DELETED' || isLocal(s)) {
        if (this.remote.delete(s.metadata.name)) this.generation++;
        this.refreshedAt.delete(s.metadata.name);
      }
    });
    this.timer = setInterval(() => {
      for (const s of this.cache.remotes()) if (isAvailable(s)) void this.refresh(s);
    }, this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  availabilityChecked(s: APIServiceObject, available: boolean): void {
    const last = this.refreshedAt.get(s.metadata.name) ?? 0;
    if (available && (!this.remote.has(s.metadata.name) || Date.now() - last > this.refreshMs)) void this.refresh(s);
  }

  /** True when any remote document is held (otherwise the local documents are served as they are). */
  get active(): boolean {
    return this.remote.size > 0;
  }

  async refresh(s: APIServiceObject): Promise<void> {
    const path = `apis/${s.spec?.group}/${s.spec?.version}`;
    this.refreshedAt.set(s.metadata.name, Date.now());
    const spec: RemoteSpec = { path };
    try {
      const index = await this.transport.get(s, '/openapi/v3', { timeoutMs: 10_000 });
      if (index.status === 200) {
        const url = (JSON.parse(index.body.toString('utf8')) as { paths?: Record<string, { serverRelativeURL?: string }> }).paths?.[path]?.serverRelativeURL;
        if (url) {
          const doc = await this.transport.get(s, url, { timeoutMs: 10_000 });
          if (doc.status === 200) {
            const body = doc.body.toString('utf8');
            JSON.parse(body);
            const hash = hashOf(body);
            spec.v3 = { body, hash, etag: `"${hash}"` };
          }
        }
      }
      const v2 = await this.transport.get(s, '/openapi/v2', { timeoutMs: 10_000 });
      if (v2.status === 200) {
        const doc = JSON.parse(v2.body.toString('utf8')) as { paths?: Record<string, unknown>; definitions?: Record<string, unknown> };
        const prefix = `/${path}`;
        const paths = Object.fromEntries(Object.entries(doc.paths ?? {}).filter(([p]) => p === prefix || p.startsWith(`${prefix}/`)));
        spec.v2 = { paths, definitions: doc.definitions ?? {} };
      }
    } catch (e) {
      this.log.warn({ err: e, apiservice: s.metadata.name }, 'reading the OpenAPI of an aggregated API server failed');
      return;
    }
    const prev = this.remote.get(s.metadata.name);
    if (!prev || prev.v3?.hash !== spec.v3?.hash || JSON.stringify(prev.v2) !== JSON.stringify(spec.v2)) {
      this.remote.set(s.metadata.name, spec);
      this.generation++;
    }
  }

  private fresh(): void {
    const key = `${this.scheme.version}/${this.cache.version}/${this.generation}`;
    if (this.docs.key !== key) this.docs = { key };
  }

  /** The remote v3 document at `path` (`apis/<group>/<version>`), when one is held. */
  v3Document(path: string): (CachedDocument & { hash: string }) | undefined {
    for (const spec of this.remote.values()) if (spec.path === path && spec.v3) return spec.v3;
    return undefined;
  }

  /** `/openapi/v3`: ours, with each remote group version under its own hash. */
  v3Index(): CachedDocument {
    this.fresh();
    if (!this.docs.v3Index) {
      const index = openapiV3Index(this.scheme);
      const paths = { ...index.paths };
      for (const spec of this.remote.values()) if (spec.v3) paths[spec.path] = { serverRelativeURL: `/openapi/v3/${spec.path}?hash=${spec.v3.hash}` };
      const body = JSON.stringify({ paths });
      this.docs.v3Index = { body, etag: etagOf(body) };
    }
    return this.docs.v3Index;
  }

  /** `/openapi/v2`: ours, with the remote group versions' paths and the definitions we lack. */
  v2(): CachedDocument {
    this.fresh();
    if (!this.docs.v2) {
      const local = openapiV2Document(this.scheme) as unknown as { paths: Record<string, unknown>; definitions: Record<string, unknown> };
      const paths = { ...local.paths };
      const definitions = { ...local.definitions };
      for (const spec of this.remote.values()) {
        if (!spec.v2) continue;
        Object.assign(paths, spec.v2.paths);
        for (const [name, def] of Object.entries(spec.v2.definitions)) if (!(name in definitions)) definitions[name] = def;
      }
      const body = JSON.stringify({ ...local, paths, definitions });
      this.docs.v2 = { body, etag: etagOf(body) };
    }
    return this.docs.v2;
  }
}
