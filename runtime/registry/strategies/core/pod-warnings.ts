/**
 * Upstream's pod warnings (pkg/api/pod/warnings.go): `Warning` headers for a Pod or a pod template that is valid
 * but probably not what its author meant: deprecated node labels and annotations, deprecated volume plugins,
 * duplicates that apply would drop, fractional bytes, a negative grace period, selectors that match nothing.
 * `prefix` is where the template sits (`spec.template.`, empty for a Pod).
 */
import type { StoredObject } from '../../../storage/store.ts';
import { claimSpecWarnings, fractionalBytes } from './claim-warnings.ts';
import { deprecatedNodeLabelMessage, nodeSelectorTermWarnings } from '../node/deprecated-labels.ts';


const deprecatedAnnotations: Array<[string, string]> = [
  ['scheduler.alpha.kubernetes.io/critical-pod', 'non-functional in v1.16+; use the "priorityClassName" field instead'],
  ['security.alpha.kubernetes.io/sysctls', 'non-functional in v1.11+; use the "sysctls" field instead'],
  ['security.alpha.kubernetes.io/unsafe-sysctls', 'non-functional in v1.11+; use the "sysctls" field instead'],
];

const deprecatedVolumes: Array<[string, string]> = [
  ['photonPersistentDisk', 'deprecated in v1.11, non-functional in v1.16+'],
  ['gitRepo', 'deprecated in v1.11'],
  ['scaleIO', 'deprecated in v1.16, non-functional in v1.22+'],
  ['flocker', 'deprecated in v1.22, non-functional in v1.25+'],
  ['storageos', 'deprecated in v1.22, non-functional in v1.25+'],
  ['quobyte', 'deprecated in v1.22, non-functional in v1.25+'],
  ['glusterfs', 'deprecated in v1.25, non-functional in v1.26+'],
  ['cephfs', 'deprecated in v1.28, non-functional in v1.31+'],
  ['rbd', 'deprecated in v1.28, non-functional in v1.31+'],
];

type Term = { matchExpressions?: Array<{ key: string }> } | undefined;

/** Warnings for a Pod (`prefix` '') or a pod template at `prefix` (e.g. `spec.template.`). */
export function podWarnings(template: StoredObject | undefined, prefix: string): string[] {
  const spec: StoredObject = template?.spec ?? {};
  const annotations: Record<string, string> = template?.metadata?.annotations ?? {};
  const at = (p: string) => `${prefix}${p}`;
  const out: string[] = [];

  for (const key of Object.keys(spec.nodeSelector ?? {})) {
    const message = deprecatedNodeLabelMessage(key);
    if (message) out.push(`${at(`spec.nodeSelector[${key}]`)}: ${message}`);
  }
  const termWarnings = (term: Term, path: string) => out.push(...nodeSelectorTermWarnings(term, path));
  const nodeAffinity = spec.affinity?.nodeAffinity;
  (nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []).forEach((t: Term, i: number) =>
    termWarnings(t, at(`spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`)),
  );
  (nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t: { preference?: Term }, i: number) =>
    termWarnings(t.preference, at(`spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}].preference`)),
  );
  (spec.topologySpreadConstraints ?? []).forEach((t: { topologyKey: string; labelSelector?: unknown }, i: number) => {
    const path = at(`spec.topologySpreadConstraints[${i}]`);
    const message = deprecatedNodeLabelMessage(t.topologyKey);
    if (message) out.push(`${path}.topologyKey: ${t.topologyKey} is ${message}`);
    if (t.labelSelector == null) out.push(`${path}.labelSelector: a null labelSelector results in matching no pod`);
  });

  for (const [key, message] of deprecatedAnnotations) if (key in annotations) out.push(`${at(`metadata.annotations[${key}]`)}: ${message}`);

  (spec.volumes ?? []).forEach((v: StoredObject, i: number) => {
    for (const [source, message] of deprecatedVolumes) if (v[source] != null) out.push(`${at(`spec.volumes[${i}].${source}`)}: ${message}`);
    const claimTemplate = v.ephemeral?.volumeClaimTemplate;
    if (claimTemplate) out.push(...claimSpecWarnings(at(`spec.volumes[${i}].ephemeral.volumeClaimTemplate.spec`), claimTemplate.spec));
  });

  duplicates(spec.hostAliases ?? [], (h: { ip: string }) => h.ip, (h, i) => out.push(`${at(`spec.hostAliases[${i}].ip`)}: duplicate ip ${JSON.stringify(h.ip)}`));
  duplicates(spec.imagePullSecrets ?? [], (s: { name?: string }) => s.name ?? '', (s, i) => out.push(`${at(`spec.imagePullSecrets[${i}].name`)}: duplicate name ${JSON.stringify(s.name ?? '')}`));
  (spec.imagePullSecrets ?? []).forEach((s: { name?: string }, i: number) => {
    if (!s.name) out.push(`${at(`spec.imagePullSecrets[${i}].name`)}: invalid empty name ""`);
  });
  for (const r of ['memory', 'ephemeral-storage']) {
    const q = spec.overhead?.[r];
    if (q !== undefined && fractionalBytes(q)) out.push(`${at(`spec.overhead[${r}]`)}: fractional byte value ${JSON.stringify(q)} is invalid, must be an integer`);
  }
  if (spec.securityContext?.seccompProfile == null && 'seccomp.security.alpha.kubernetes.io/pod' in annotations) {
    out.push(`${at('metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]')}: non-functional in v1.27+; use the "seccompProfile" field instead`);
  }

  const containers = [
    ...(spec.initContainers ?? []).map((c: StoredObject, i: number) => [c, at(`spec.initContainers[${i}]`)] as const),
    ...(spec.containers ?? []).map((c: StoredObject, i: number) => [c, at(`spec.containers[${i}]`)] as const),
    ...(spec.ephemeralContainers ?? []).map((c: StoredObject, i: number) => [c, at(`spec.ephemeralContainers[${i}]`)] as const),
  ];
  for (const [c, path] of containers) {
    const seccomp = `container.seccomp.security.alpha.kubernetes.io/${c.name}`;
    if (c.securityContext?.seccompProfile == null && seccomp in annotations) {
      out.push(`${at(`metadata.annotations[${seccomp}]`)}: non-functional in v1.27+; use the "seccompProfile" field instead`);
    }
    const apparmor = `container.apparmor.security.beta.kubernetes.io/${c.name}`;
    const hasAppArmorField = spec.securityContext?.appArmorProfile != null || c.securityContext?.appArmorProfile != null;
    // Pods get theirs from the AppArmor version-skew handling; only templates warn here.
    if (prefix && !hasAppArmorField && apparmor in annotations) {
      out.push(`${at(`metadata.annotations[${apparmor}]`)}: deprecated since v1.30; use the "appArmorProfile" field instead`);
    }
    for (const field of ['limits', 'requests']) {
      for (const r of ['memory', 'ephemeral-storage']) {
        const q = c.resources?.[field]?.[r];
        if (q !== undefined && fractionalBytes(q)) out.push(`${path}.resources.${field}[${r}]: fractional byte value ${JSON.stringify(q)} is invalid, must be an integer`);
      }
    }
    const seen = new Set<string>();
    (c.env ?? []).forEach((e: { name: string; value?: string; valueFrom?: unknown }, i: number) => {
      if (!seen.has(e.name)) return void seen.add(e.name);
      const ref = `$(${e.name})`;
      if (e.valueFrom != null || e.value === ref || !(e.value ?? '').includes(ref)) {
        out.push(`${path}.env[${i}]: hides previous definition of ${JSON.stringify(e.name)}, which may be dropped when using apply`);
      }
    });
  }

  const ports = new Map<string, Array<{ field: string; hostIP: string; hostPort: number }>>();
  for (const [c, path] of containers) {
    (c.ports ?? []).forEach((p: { containerPort: number; protocol?: string; hostIP?: string; hostPort?: number }, i: number) => {
      const field = `${path}.ports[${i}]`;
      const port = { field, hostIP: p.hostIP ?? '', hostPort: p.hostPort ?? 0 };
      const key = `${p.containerPort}/${p.protocol ?? 'TCP'}`;
      for (const other of ports.get(key) ?? []) {
        if (port.hostIP === other.hostIP && port.hostPort === other.hostPort) out.push(`${field}: duplicate port definition with ${other.field}`);
        else if (port.hostPort === 0 || other.hostPort === 0) out.push(`${field}: overlapping port definition with ${other.field}`);
        else if (port.hostPort === other.hostPort && (port.hostIP === '') !== (other.hostIP === '')) out.push(`${field}: dangerously ambiguous port definition with ${other.field}`);
      }
      ports.set(key, [...(ports.get(key) ?? []), port]);
    });
  }

  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    out.push(`${at('spec.terminationGracePeriodSeconds')}: must be >= 0; negative values are invalid and will be treated as 1`);
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = spec.affinity?.[kind];
    (a?.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t: { labelSelector?: unknown }, i: number) => {
      if (t.labelSelector == null) out.push(`${at(`spec.affinity.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${i}].labelSelector`)}: a null labelSelector results in matching no pod`);
    });
    (a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t: { podAffinityTerm?: { labelSelector?: unknown } }, i: number) => {
      if (t.podAffinityTerm?.labelSelector == null) {
        out.push(`${at(`spec.affinity.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${i}].podAffinityTerm.labelSelector`)}: a null labelSelector results in matching no pod`);
      }
    });
  }
  return out;
}

function duplicates<T>(list: T[], key: (item: T) => string, report: (item: T, index: number) => void): void {
  if (list.length < 2) return;
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) report(item, i);
    else seen.add(k);
  });
}

/**
 * A pod template's warnings on an update, as upstream's workload strategies give them: only when the update changed
 * the spec (its generation moved). `template` is the one upstream passes (ReplicationControllers: the old one).
 */
export function changedTemplateWarnings(obj: StoredObject, old: StoredObject, template: StoredObject | undefined, prefix: string): string[] {
  return obj.metadata?.generation !== old.metadata?.generation ? podWarnings(template, prefix) : [];
}
