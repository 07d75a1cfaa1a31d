/**
 * API enablement: kube-apiserver's `--runtime-config`, which turns group versions on and off. Keys are
 * `api/all`, `api/ga`, `api/beta`, `api/alpha` (every group version of that stability), `<group>/<version>`
 * (`api/v1` or `v1` for the core group) and `api/legacy` (the core group, deprecated upstream); values `true`/`false`
 * (Go's boolean spellings; no value means true). The broad keys apply first, in that order, then the specific ones.
 * A group version that is off is taken out of the Scheme before any server is built: it is not served, not in
 * discovery or OpenAPI, gets no APIService, and its stores do not exist.
 */
import type { Command } from 'commander';
import type { GroupVersion, Scheme } from '../machinery/scheme.ts';
import { gvString } from '../machinery/scheme.ts';

export type RuntimeConfig = ReadonlyArray<readonly [key: string, value: string]>;

/** `--runtime-config a=b,c=d`, repeatable, as pflag's map flag. */
export function addAPIEnablementFlags(program: Command): void {
  program.option(
    '--runtime-config <key=value,...>',
    'turn group versions on or off: api/all, api/ga, api/beta, api/alpha, or <group>/<version> (api/v1 for the core group) = true|false',
    (text: string, previous: [string, string][] = []) => [
      ...previous,
      ...text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((pair): [string, string] => {
          const i = pair.indexOf('=');
          return i < 0 ? [pair, ''] : [pair.slice(0, i).trim(), pair.slice(i + 1).trim()];
        }),
    ],
    [],
  );
}

const stabilityKeys: Record<string, (version: string) => boolean> = {
  'api/all': () => true,
  'api/ga': (v) => /^v\d+$/.test(v),
  'api/beta': (v) => /^v\d+beta\d+$/.test(v),
  'api/alpha': (v) => /^v\d+alpha\d+$/.test(v),
};

/** strconv.ParseBool's spellings; an empty value is true, as upstream reads `--runtime-config api/all`. */
function parseBool(key: string, value: string): boolean {
  if (value === '' || ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new Error(`invalid value of ${key}: ${value}, err: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
}

/** `api/v1`, `v1`, `api/legacy` -> the core group; `<group>/<version>` -> that group version. */
function groupVersionOfKey(key: string): GroupVersion | undefined {
  if (key === 'api/legacy' || key === 'api/v1' || key === '/v1' || key === 'v1') return { group: '', version: 'v1' };
  const parts = key.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { group: parts[0], version: parts[1] };
}

/** Syntax check of the flag's values, for option validation (every problem reported). */
export function validateRuntimeConfig(config: RuntimeConfig, errors: string[]): RuntimeConfig {
  for (const [key, value] of config) {
    try {
      parseBool(key, value);
    } catch (e) {
      errors.push(`--runtime-config: ${(e as Error).message}`);
    }
    if (!(key in stabilityKeys) && !groupVersionOfKey(key)) {
      errors.push(`--runtime-config: "${key}" is not api/all, api/ga, api/beta, api/alpha or <group>/<version>`);
    }
  }
  return config;
}

/**
 * Which of `registered` are on: every GA group version by default (the only kind the server ships), then the
 * flag's broad keys, then its group versions. Throws when a key names a group version the server does not have.
 */
export function enabledGroupVersions(registered: readonly GroupVersion[], config: RuntimeConfig): Set<string> {
  const enabled = new Set(registered.filter((gv) => stabilityKeys['api/ga'](gv.version)).map(gvString));
  for (const key of Object.keys(stabilityKeys)) {
    for (const [k, value] of config) {
      if (k !== key) continue;
      const on = parseBool(k, value);
      for (const gv of registered) if (stabilityKeys[key](gv.version)) (on ? enabled.add(gvString(gv)) : enabled.delete(gvString(gv)));
    }
  }
  for (const [key, value] of config) {
    if (key in stabilityKeys) continue;
    const gv = groupVersionOfKey(key);
    if (!gv) continue;
    if (!registered.some((r) => r.group === gv.group && r.version === gv.version)) {
      throw new Error(`--runtime-config: group version ${gvString(gv)} that has not been registered`);
    }
    if (parseBool(key, value)) enabled.add(gvString(gv));
    else enabled.delete(gvString(gv));
  }
  return enabled;
}

/** Group versions the server cannot run without, whatever the flag says. */
const required: GroupVersion[] = [
  { group: '', version: 'v1' },
  { group: 'apiregistration.k8s.io', version: 'v1' },
];

/**
 * Takes the group versions `--runtime-config` turns off out of the Scheme. Call once, after the generated group
 * versions are added and before any server is built. Returns the names of those taken out.
 */
export function applyRuntimeConfig(scheme: Scheme, config: RuntimeConfig, alsoRequired: GroupVersion[] = []): string[] {
  if (!config.length) return [];
  const registered = scheme.allGroupVersions().map((gv) => ({ group: gv.group, version: gv.version }));
  const enabled = enabledGroupVersions(registered, config);
  const missing = [...required, ...alsoRequired].filter((gv) => registered.some((r) => gvString(r) === gvString(gv)) && !enabled.has(gvString(gv)));
  if (missing.length) {
    throw new Error(`--runtime-config: ${missing.map((gv) => (gv.group ? gvString(gv) : 'v1 (the core group)')).join(', ')} cannot be turned off: the server needs ${missing.length > 1 ? 'them' : 'it'}`);
  }
  const removed: string[] = [];
  for (const gv of registered) {
    if (enabled.has(gvString(gv))) continue;
    scheme.removeGroupVersion(gv.group, gv.version);
    removed.push(gvString(gv));
  }
  return removed;
}
