/**
 * `--admission-control-config-file`: upstream's AdmissionConfiguration (apiserver.config.k8s.io/v1, or v1alpha1 /
 * v1beta1), YAML or JSON, giving plug-ins their configuration by name, either inline (`configuration`) or in a file
 * of its own (`path`, relative to the configuration file). Read once at start-up; a bad file stops the server.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const kinds = ['apiserver.config.k8s.io/v1', 'apiserver.config.k8s.io/v1beta1', 'apiserver.config.k8s.io/v1alpha1', 'apiserver.k8s.io/v1alpha1'];

function readDocument(file: string): Json {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`--admission-control-config-file ${file}: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`--admission-control-config-file ${file}: not an object`);
  return parsed as Json;
}

/** The configuration object a plug-in is given, or undefined when the file (or no file) names none for it. */
export function admissionPluginConfiguration(file: string | undefined, plugin: string): Json | undefined {
  if (!file) return undefined;
  const doc = readDocument(file);
  if (doc.kind !== 'AdmissionConfiguration' || !kinds.includes(doc.apiVersion)) {
    throw new Error(`--admission-control-config-file ${file}: expected kind AdmissionConfiguration (apiVersion ${kinds[0]}), got ${doc.apiVersion ?? '?'} ${doc.kind ?? '?'}`);
  }
  for (const entry of (Array.isArray(doc.plugins) ? doc.plugins : []) as Json[]) {
    if (entry?.name !== plugin) continue;
    if (entry.configuration !== undefined) return entry.configuration as Json;
    if (typeof entry.path === 'string' && entry.path) return readDocument(resolve(dirname(file), entry.path));
    return undefined;
  }
  return undefined;
}
