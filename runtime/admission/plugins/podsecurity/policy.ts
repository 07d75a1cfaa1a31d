/**
 * A namespace's Pod Security policy from its labels (`pod-security.kubernetes.io/<mode>` and `<mode>-version`),
 * as upstream's api.PolicyToEvaluate: unlabelled modes take the configured defaults (privileged:latest unless a
 * PodSecurityConfiguration says otherwise); a bad enforce label evaluates as restricted (fail closed), a bad audit
 * or warn label as privileged (fail open), and each bad label is reported as a field error.
 */
import { invalid as invalidField, type FieldError } from '../../../machinery/field-errors.ts';
import type { Level, PolicyVersion } from './checks.ts';

export const labelPrefix = 'pod-security.kubernetes.io/';
export const modes = ['enforce', 'audit', 'warn'] as const;
export type Mode = (typeof modes)[number];

export interface LevelVersion {
  level: Level;
  version: PolicyVersion;
}

export type Policy = Record<Mode, LevelVersion>;

export const privilegedLatest: LevelVersion = { level: 'privileged', version: 'latest' };

export const defaultPolicy: Policy = { enforce: privilegedLatest, audit: privilegedLatest, warn: privilegedLatest };

/** `restricted:latest`, `baseline:v1.30`. */
export function levelVersionString(lv: LevelVersion): string {
  return `${lv.level}:${lv.version === 'latest' ? 'latest' : `v1.${lv.version}`}`;
}

export function sameLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return a.level === b.level && a.version === b.version;
}

const levels: readonly Level[] = ['privileged', 'baseline', 'restricted'];

/** -1, 0, 1 as `a` is less, as or more strict than `b`. */
export function compareLevels(a: Level, b: Level): number {
  return Math.sign(levels.indexOf(a) - levels.indexOf(b));
}

export function parseLevel(value: string): Level | undefined {
  return (levels as readonly string[]).includes(value) ? (value as Level) : undefined;
}

export function parseVersion(value: string): PolicyVersion | undefined {
  if (value === 'latest') return 'latest';
  const m = /^v1\.(0|[1-9][0-9]*)$/.exec(value);
  return m ? Number(m[1]) : undefined;
}

/** The policy the labels ask for, and what is wrong with them (empty when they are valid). */
export function policyFromLabels(labels: Record<string, string> | undefined, defaults: Policy = defaultPolicy): { policy: Policy; errors: FieldError[] } {
  const policy: Policy = { enforce: { ...defaults.enforce }, audit: { ...defaults.audit }, warn: { ...defaults.warn } };
  const errors: FieldError[] = [];
  if (!labels) return { policy, errors };
  for (const mode of modes) {
    const levelKey = `${labelPrefix}${mode}`;
    if (levelKey in labels) {
      const value = String(labels[levelKey]);
      const level = parseLevel(value);
      if (level) policy[mode].level = level;
      else {
        policy[mode].level = mode === 'enforce' ? 'restricted' : 'privileged';
        errors.push(invalidField(`metadata.labels[${levelKey}]`, value, `must be one of ${levels.join(', ')}`));
      }
    }
    const versionKey = `${labelPrefix}${mode}-version`;
    if (versionKey in labels) {
      const value = String(labels[versionKey]);
      const version = parseVersion(value);
      policy[mode].version = version ?? 'latest';
      if (version === undefined) errors.push(invalidField(`metadata.labels[${versionKey}]`, value, 'must be "latest" or "v1.x"'));
    }
  }
  return { policy, errors };
}

/** PodSecurity's configuration from an AdmissionConfiguration: defaults for unlabelled modes, and exemptions. */
export interface PodSecurityConfiguration {
  defaults?: Policy;
  exemptions?: { usernames?: string[]; namespaces?: string[]; runtimeClasses?: string[] };
}

const configurationVersions = ['pod-security.admission.config.k8s.io/v1', 'pod-security.admission.config.k8s.io/v1beta1', 'pod-security.admission.config.k8s.io/v1alpha1'];

/**
 * Reads upstream's PodSecurityConfiguration (`defaults: {enforce, enforce-version, audit, ...}`, `exemptions:
 * {usernames, namespaces, runtimeClasses}`). Throws one error naming every bad field, as start-up should fail.
 */
export function parsePodSecurityConfiguration(obj: Record<string, any> | undefined): PodSecurityConfiguration | undefined { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!obj) return undefined;
  const errors: string[] = [];
  if (obj.kind !== 'PodSecurityConfiguration' || !configurationVersions.includes(obj.apiVersion)) {
    errors.push(`expected kind PodSecurityConfiguration (apiVersion ${configurationVersions[0]}), got ${obj.apiVersion ?? '?'} ${obj.kind ?? '?'}`);
  }
  const defaults: Policy = { enforce: { ...privilegedLatest }, audit: { ...privilegedLatest }, warn: { ...privilegedLatest } };
  const d = (obj.defaults ?? {}) as Record<string, unknown>;
  for (const mode of modes) {
    if (d[mode] !== undefined) {
      const level = parseLevel(String(d[mode]));
      if (level) defaults[mode].level = level;
      else errors.push(`defaults.${mode}: Invalid value: "${String(d[mode])}": must be one of ${levels.join(', ')}`);
    }
    if (d[`${mode}-version`] !== undefined) {
      const version = parseVersion(String(d[`${mode}-version`]));
      if (version !== undefined) defaults[mode].version = version;
      else errors.push(`defaults.${mode}-version: Invalid value: "${String(d[`${mode}-version`])}": must be "latest" or "v1.x"`);
    }
  }
  const e = (obj.exemptions ?? {}) as Record<string, unknown>;
  const exemptions: Record<string, string[]> = {};
  for (const key of ['usernames', 'namespaces', 'runtimeClasses']) {
    const v = e[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) errors.push(`exemptions.${key}: Invalid value: must be a list of non-empty strings`);
    else exemptions[key] = v as string[];
  }
  if (errors.length) throw new Error(`PodSecurity configuration: ${errors.join('; ')}`);
  return { defaults, exemptions };
}
