/** Names the generated code and documents use for groups, versions and types. */
import type { GroupVersionModel, StructModel, TypeRef } from './model.ts';

/** Groups whose types live outside k8s.io/api upstream, so their OpenAPI names carry that module's Go path. */
const goPackages: Record<string, string> = {
  'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
  'apiregistration.k8s.io': 'io.k8s.kube-aggregator.pkg.apis.apiregistration',
};

/**
 * apis/meta/v1 gathers apimachinery's shared types, most of them from pkg/apis/meta/v1; these come from other
 * packages of it, which their OpenAPI names carry.
 */
const metaGoPackages: Record<string, string> = {
  Quantity: 'io.k8s.apimachinery.pkg.api.resource',
  IntOrString: 'io.k8s.apimachinery.pkg.util.intstr',
  RawExtension: 'io.k8s.apimachinery.pkg.runtime',
};

/**
 * The OpenAPI definition name of a type, as kube-apiserver spells it: `io.k8s.api.core.v1.ConfigMap`,
 * `io.k8s.api.rbac.v1.Role`, `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`; other groups use their
 * reversed domain (`dev.example.v1.Widget`).
 */
export function openapiName(group: string, version: string, name: string): string {
  if (goPackages[group]) return `${goPackages[group]}.${version}.${name}`;
  if (group === 'meta') return `${metaGoPackages[name] ?? 'io.k8s.apimachinery.pkg.apis.meta.v1'}.${name}`;
  if (group === '') return `io.k8s.api.core.${version}.${name}`;
  if (!group.includes('.') || group.endsWith('.k8s.io')) return `io.k8s.api.${group.split('.')[0]}.${version}.${name}`;
  return `${group.split('.').reverse().join('.')}.${version}.${name}`;
}

export const wellKnownOpenapiNames = {
  Time: openapiName('meta', 'v1', 'Time'),
  MicroTime: openapiName('meta', 'v1', 'MicroTime'),
  Quantity: openapiName('meta', 'v1', 'Quantity'),
  IntOrString: openapiName('meta', 'v1', 'IntOrString'),
} as const;

export function structOpenapiName(s: Pick<StructModel, 'group' | 'version' | 'name'>): string {
  return openapiName(s.group, s.version, s.name);
}

/** `apps/v1` -> `apps_v1`, `rbac.authorization.k8s.io/v1` -> `rbac_authorization_k8s_io_v1`, core -> `core_v1`. */
export function gvIdentifier(gv: Pick<GroupVersionModel, 'group' | 'version'>): string {
  return `${(gv.group || 'core').replace(/[^A-Za-z0-9]/g, '_')}_${gv.version}`;
}

/** An identifier for a struct that is unique across group versions. */
export function structIdentifier(ref: { group: string; version: string; name: string }): string {
  return `${gvIdentifier(ref)}_${ref.name}`;
}

export function isStructRef(t: TypeRef): t is Extract<TypeRef, { kind: 'struct' }> {
  return t.kind === 'struct';
}

/** Upstream's wording: `autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated; use ...`. */
export function deprecationWarning(group: string, version: string, kind: string, text: string): string {
  // `@deprecated in v1.19+` reads as upstream's lifecycle warning (`v1 ComponentStatus is deprecated in v1.19+`).
  const tail = !text ? '' : /^in v\d/.test(text) ? ` ${text}` : `; ${text}`;
  return `${group ? `${group}/${version}` : version} ${kind} is deprecated${tail}`;
}

/** A property access in generated code: `obj.name`, or `obj["x-kubernetes-list-type"]` for JSON names that are not identifiers. */
export function propAccess(expr: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${expr}.${name}` : `${expr}[${JSON.stringify(name)}]`;
}
