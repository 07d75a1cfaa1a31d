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
