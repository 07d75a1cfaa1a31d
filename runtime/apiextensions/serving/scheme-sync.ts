/**
 * Keeps the Scheme's custom resource group versions in step with the established CRDs (upstream's discovery and
 * OpenAPI controllers rolled into one): every group version served by at least one CRD is one registration holding
 * the kinds of all its CRDs, its versions ordered by Kubernetes' version priority across the group. Discovery
 * (legacy and aggregated) and OpenAPI v2/v3 derive from the Scheme and rebuild when its version moves, so this is
 * all it takes to make a CRD appear in `kubectl api-resources` and `kubectl explain`.
 *
 * A group version the generated code already registers is never replaced: a CRD cannot shadow a built-in kind.
 */
import type { Logger } from 'pino';
import type { GroupVersionRegistration, KindRegistration } from '../../machinery/registration.ts';
import { gvString, type Scheme } from '../../machinery/scheme.ts';
import type { CRDInfo } from './handler.ts';
import { storageVersionOf } from './types.ts';
import { compareKubeAwareVersions } from './versions.ts';

export class SchemeSync {
  /** Group versions this sync registered, with the kinds and priority they were registered with. */
  private readonly owned = new Map<string, { kinds: KindRegistration[]; priority: string }>();

  constructor(
    private readonly scheme: Scheme,
    private readonly log: Logger,
  ) {}

  /** Registers what `infos` serve and removes what they no longer serve; untouched group versions stay as they are. */
  sync(infos: readonly CRDInfo[]): void {
    const byGroup = new Map<string, CRDInfo[]>();
    for (const info of infos) {
      if (!info.established || info.versions.size === 0) continue;
      const list = byGroup.get(info.crd.spec.group) ?? [];
      list.push(info);
      byGroup.set(info.crd.spec.group, list);
    }
    const wanted = new Set<string>();
    for (const [group, members] of byGroup) {
      const versionPriority = [...new Set(members.flatMap((i) => [...i.versions.keys()]))].sort(compareKubeAwareVersions);
      for (const version of versionPriority) {
        const key = gvString({ group, version });
        const existing = this.scheme.groupVersion(group, version);
        if (existing && !this.owned.has(key)) {
          this.log.warn({ groupVersion: key }, 'custom resources are not served in a group version the server serves built in');
          continue;
        }
        wanted.add(key);
        const served = members.flatMap((i) => {
          const v = i.versions.get(version);
          return v ? [{ info: i, v }] : [];
        });
        served.sort((a, b) => (a.v.kind.resource < b.v.kind.resource ? -1 : 1));
        const kinds = served.map((s) => s.v.kind);
        const priority = versionPriority.join(',');
        const before = this.owned.get(key);
        if (before && before.priority === priority && before.kinds.length === kinds.length && before.kinds.every((k, i) => k === kinds[i])) continue;
        const registration: GroupVersionRegistration = {
          group,
          version,
          // One storage version per group version is all the Scheme knows; CRDs of a group usually share it.
          storageVersion: storageVersionOf(served[0].info.crd) ?? version,
          versionPriority,
          deprecated: kinds.every((k) => k.deprecated !== undefined),
          kinds,
          openapiV3: Object.assign({}, ...served.map((s) => s.v.openapiV3)),
        };
        this.owned.set(key, { kinds, priority });
        this.scheme.addGroupVersion(registration);
      }
    }
    for (const key of [...this.owned.keys()]) {
      if (wanted.has(key)) continue;
      this.owned.delete(key);
      const i = key.indexOf('/');
      this.scheme.removeGroupVersion(key.slice(0, i), key.slice(i + 1));
    }
  }
}
