/**
 * `--emulated-version`, as kube-apiserver v1.32 has it (k8s.io/component-base v0.32: featuregate/registry.go's
 * AddFlags, Set and toVersionMap; version/version.go's effectiveVersion and Validate). The flag takes
 * `[component=]major.minor` pairs, comma-separated or repeated; a pair without a component is `kube`'s, the only
 * component this server has. A 1.32 binary emulates 1.31 or 1.32 (the default).
 *
 * The effective version also carries the minimum compatibility version: what CEL expressions written now may use
 * (runtime/cel/environment.ts). In v1.32 it is always the binary's minor less one: the flag sets only the
 * emulation version (kube-apiserver has no --min-compatibility-version before 1.33).
 */
import type { Command } from 'commander';
import { kubernetesVersion } from '../endpoints/version.ts';
import { parseVersion, versionString, type Version } from '../machinery/version.ts';
import { list } from './flag-parsers.ts';

export interface MajorMinor {
  major: number;
  minor: number;
}

export interface EffectiveVersion {
  /** The version this server is: v1.32.0. */
  binary: Version;
  /** Whose behaviour it shows (--emulated-version). */
  emulation: MajorMinor;
  /** The oldest version it stays compatible with (CEL's NewExpressions environment). */
  minCompatibility: MajorMinor;
}

/** component-base's DefaultKubeComponent: the name a pair without `component=` is for. */
const kubeComponent = 'kube';

const binary: Version = parseVersion(`${kubernetesVersion.major}.${kubernetesVersion.minor}.${kubernetesVersion.patch}`);
const binaryMajorMinor: MajorMinor = { major: binary.components[0], minor: binary.components[1] };

/** Version.SubtractMinor: the same major, the minor less `diff` (not below 0), no patch. */
function subtractMinor(v: MajorMinor, diff: number): MajorMinor {
  return { major: v.major, minor: Math.max(0, v.minor - diff) };
}

/** The lowest version this binary emulates, and its compatibility version (Validate's lower bound): one minor back. */
const binaryMinusOne = subtractMinor(binaryMajorMinor, 1);

const show = (v: MajorMinor) => `${v.major}.${v.minor}`;
const compare = (a: MajorMinor, b: MajorMinor) => a.major - b.major || a.minor - b.minor;

/** The effective version of a server given no --emulated-version: emulating itself, compatible one minor back. */
export const defaultEffectiveVersion: EffectiveVersion = { binary, emulation: binaryMajorMinor, minCompatibility: binaryMinusOne };

export function addVersionFlags(program: Command): void {
  program.option(
    '--emulated-version <versions>',
    `the versions components emulate their capabilities (APIs, features, ...) of, as component=major.minor pairs ` +
      `(comma-separated; a pair without a component is kube's): kube=${show(binaryMinusOne)}..${show(binaryMajorMinor)} (default=${show(binaryMajorMinor)})`,
    list,
    [],
  );
}

/** toVersionMap and Set, then effectiveVersion.Validate: upstream's errors, added to `errors`. */
export function versionOptions(o: Record<string, unknown>, errors: string[]): EffectiveVersion {
  const byComponent = new Map<string, Version>();
  for (const pair of (o.emulatedVersion as string[] | undefined) ?? []) {
    const eq = pair.indexOf('=');
    const component = eq < 0 ? kubeComponent : pair.slice(0, eq).trim();
    const text = eq < 0 ? pair : pair.slice(eq + 1).trim();
    let v: Version;
    try {
      v = parseVersion(text);
    } catch (e) {
      errors.push(`--emulated-version: ${(e as Error).message}`);
      return defaultEffectiveVersion;
    }
    if ((v.components[2] ?? 0) !== 0) {
      errors.push(`--emulated-version: patch version not allowed, got: ${component}=${versionString(v)}`);
      return defaultEffectiveVersion;
    }
    const existing = byComponent.get(component);
    if (existing) {
      errors.push(`--emulated-version: duplicate version flag, ${component}=${versionString(existing)} and ${component}=${versionString(v)}`);
      return defaultEffectiveVersion;
    }
    byComponent.set(component, v);
  }
  for (const component of byComponent.keys()) {
    if (component !== kubeComponent) {
      errors.push(`--emulated-version: component not registered: ${component}`);
      return defaultEffectiveVersion;
    }
  }
  const kube = byComponent.get(kubeComponent);
  if (!kube) return defaultEffectiveVersion;
  const emulation: MajorMinor = { major: kube.components[0], minor: kube.components[1] };
  // Validate compares with the binary's major.minor.0 and the minor before it.
  if (compare(emulation, binaryMajorMinor) > 0 || compare(emulation, binaryMinusOne) < 0) {
    errors.push(`--emulated-version: emulation version ${show(emulation)} is not between [${show(binaryMinusOne)}, ${show(binaryMajorMinor)}.0]`);
    return defaultEffectiveVersion;
  }
  return { ...defaultEffectiveVersion, emulation };
}
