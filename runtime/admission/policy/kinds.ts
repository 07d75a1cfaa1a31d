/**
 * The kinds policies can name (matched resources, paramKind): the built-in ones. Custom resources are not
 * looked up yet (a paramKind of a CRD is a configuration error, typed checks skip them).
 */
import { groupVersions } from '../../../generated/index.ts';
import { parseApiVersion } from '../../machinery/scheme.ts';
import type { KindLookup } from './typecheck.ts';

export const builtInKinds: KindLookup = {
  forResource(group, version, resource) {
    return groupVersions.find((g) => g.group === group && g.version === version)?.kinds.find((k) => k.resource === resource);
  },
  forKind(apiVersion, kind) {
    const gv = parseApiVersion(apiVersion);
    return groupVersions.find((g) => g.group === gv.group && g.version === gv.version)?.kinds.find((k) => k.kind === kind && k.resource);
  },
};
