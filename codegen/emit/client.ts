/**
 * The typed client, as client-gen writes it: per served group version an accessor function returning one
 * ResourceClient factory per kind (`coreV1(rest).configMaps('default')`), and a top-level Clientset with one
 * method per group version (`clientset.coreV1()`). Names follow client-go's, in lower camel case.
 */
import type { AnalysedGroupVersion, AnalysedModel } from '../analyse.ts';
import type { StructModel } from '../model.ts';
import { gvDir } from '../model.ts';
import { header, type EmittedFile } from './context.ts';
import { loadTemplate } from './templates.ts';
import { importTypes, listTypeName } from './types.ts';

const gvTemplate = loadTemplate('client.ts.hbs');
const clientsetTemplate = loadTemplate('clientset.ts.hbs');

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `ConfigMap` -> `configMap`, `CSIDriver` -> `csiDriver`, `APIService` -> `apiService`, `CSR` -> `csr`. */
export function lowerCamel(name: string): string {
  const caps = /^[A-Z]+/.exec(name)?.[0] ?? '';
  if (caps.length <= 1) return name.charAt(0).toLowerCase() + name.slice(1);
  const lead = caps.length === name.length ? caps : caps.slice(0, -1);
  return lead.toLowerCase() + name.slice(lead.length);
}

/** English plural of a kind name, as gengo's plural namer. */
function pluralize(kind: string): string {
  if (/(s|x|z|ch|sh)$/.test(kind)) return `${kind}es`;
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  return `${kind}s`;
}

/**
 * The accessor of a kind: its plural in lower camel case (`configMaps`, `networkPolicies`, `endpoints`). The
 * plural's spelling comes from `@resource` when it extends the kind's name (so irregular plurals follow the
 * declaration), otherwise from English rules.
 */
export function resourceAccessor(kind: string, resource: string): string {
  const lower = kind.toLowerCase();
  let p = 0;
  while (p < lower.length && p < resource.length && lower[p] === resource[p]) p++;
  if (p === lower.length && p === resource.length) return lowerCamel(kind); // already plural: Endpoints
  if (p >= lower.length - 1 && p < resource.length) return lowerCamel(kind.slice(0, p) + resource.slice(p));
  return lowerCamel(pluralize(kind));
}

/**
 * The accessor of a group version: `coreV1`, `appsV1`, `rbacAuthorizationV1` (`.k8s.io` dropped),
 * `exampleDevV1beta1`. `full` keeps `.k8s.io`, for the rare groups whose short names clash.
 */
export function groupVersionAccessor(group: string, version: string, full = false): string {
  const name = group === '' ? 'core' : !full && group.endsWith('.k8s.io') ? group.slice(0, -'.k8s.io'.length) : group;
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const id = lowerCamel(words.map(upperFirst).join('') + upperFirst(version));
  return /^[0-9]/.test(id) ? `g${id}` : id;
}

/** Accessor names of every served group version, made unique. */
function accessors(model: AnalysedModel): Map<AnalysedGroupVersion, string> {
  const short = model.served.map((gv) => groupVersionAccessor(gv.group, gv.version));
  const clashes = new Set(short.filter((n, i) => short.indexOf(n) !== i));
  return new Map(model.served.map((gv, i) => [gv, clashes.has(short[i]) ? groupVersionAccessor(gv.group, gv.version, true) : short[i]]));
}

const interfaceName = (accessor: string) => `${upperFirst(accessor)}Client`;

function resourceEntry(gv: AnalysedGroupVersion, k: StructModel) {
  const tags = k.kind!;
  const name = resourceAccessor(k.name, tags.resource);
  const type = `ResourceClient<${k.name}, ${listTypeName(k.name)}>`;
  const namespaced = tags.scope === 'Namespaced';
  const descriptor = `{ group: ${JSON.stringify(gv.group)}, version: ${JSON.stringify(gv.version)}, resource: ${JSON.stringify(tags.resource)}, kind: ${JSON.stringify(k.name)}, namespaced: ${namespaced}${namespaced ? ', namespace' : ''} }`;
  return {
    name,
    doc: namespaced ? `${k.name} objects in one namespace ('' lists and watches all namespaces).` : `${k.name} objects (cluster-scoped).`,
    signature: `${name}(${namespaced ? 'namespace: string' : ''}): ${type}`,
    implementation: `${name}: (${namespaced ? 'namespace' : ''}) => new ${type}(client, ${descriptor})`,
  };
}

export function emitGroupVersionClient(model: AnalysedModel, gv: AnalysedGroupVersion): EmittedFile {
  const accessor = accessors(model).get(gv)!;
  const typeNames = gv.kinds.flatMap((k) => [k.name, listTypeName(k.name)]);
  return {
    path: `${gvDir(gv.group, gv.version)}/client.ts`,
    content: gvTemplate({
      header: header(`apis/${gv.dir}`),
      groupVersion: gv.group ? `${gv.group}/${gv.version}` : `core/${gv.version}`,
      accessor,
      interfaceName: interfaceName(accessor),
      typesImport: typeNames.length ? importTypes(typeNames, './types.ts') : '',
      resources: gv.kinds.map((k) => resourceEntry(gv, k)).sort((a, b) => a.name.localeCompare(b.name)),
    }),
  };
}

export function emitClientset(model: AnalysedModel): EmittedFile {
  const names = accessors(model);
  const groupVersions = model.served.map((gv) => {
    const accessor = names.get(gv)!;
    const label = gv.group ? `${gv.group}/${gv.version}` : `core/${gv.version}`;
    return {
      accessor,
      interfaceName: interfaceName(accessor),
      from: `./${gvDir(gv.group, gv.version)}/client.ts`,
      doc: gv.deprecated ? `The resources of ${label}. @deprecated ${label} is deprecated; use a newer version of the group.` : `The resources of ${label}.`,
    };
  });
  return { path: 'client.ts', content: clientsetTemplate({ header: header('apis/'), groupVersions }) };
}
