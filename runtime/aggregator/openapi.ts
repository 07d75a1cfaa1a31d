/**
 * OpenAPI of aggregated servers merged into this server's: each available remote group version's v3 document
 * (`apis/<group>/<version>` from the server's own `/openapi/v3` index) is read when it becomes available and every
 * minute after, listed in our `/openapi/v3` index under its own content hash and served from memory; its paths
 * and definitions are also merged into `/openapi/v2`. Documents of an APIService that goes away go with it.
 */
import { createHash } from 'node:crypto';
import { openapiV2Document, openapiV3Index } from '../endpoints/openapi.ts';
import { etagOf, type CachedDocument } from '../endpoints/discovery.ts';
import type { APIServiceObject } from './apiservice-cache.ts';
import { RemoteDocuments } from './remote-documents.ts';

interface RemoteSpec {
  path: string;
  v3?: { body: string; hash: string; etag: string };
  v2?: { paths: Record<string, unknown>; definitions: Record<string, unknown> };
}

const hashOf = (body: string) => createHash('sha512').update(body).digest('hex').toUpperCase();

export class MergedOpenAPI extends RemoteDocuments<RemoteSpec> {
  protected readonly what = 'OpenAPI';
  private docs: { key: string; v3Index?: CachedDocument; v2?: CachedDocument } = { key: '' };

  /** True when any remote document is held (otherwise the local documents are served as they are). */
  get active(): boolean {
    return this.remote.size > 0;
  }

  protected async read(s: APIServiceObject): Promise<RemoteSpec> {
    const path = `apis/${s.spec?.group}/${s.spec?.version}`;
    const spec: RemoteSpec = { path };
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
    return spec;
  }

  protected same(a: RemoteSpec, b: RemoteSpec): boolean {
    return a.v3?.hash === b.v3?.hash && JSON.stringify(a.v2) === JSON.stringify(b.v2);
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
