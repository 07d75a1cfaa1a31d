/**
 * The admission flags, with kube-apiserver's names and defaults. Plug-ins read these fields from the options
 * object they are built with (runtime/admission/setup.ts).
 */
import type { Command } from 'commander';
import { int, list, type ParsedFlags } from '../server/flag-parsers.ts';
import { enabledAdmissionPlugins } from './registry.ts';

export interface AdmissionOptions {
  /** Admission plug-ins that are on, in upstream's order (defaults + --enable-admission-plugins - --disable-...). */
  admissionPlugins: string[];
  /** An AdmissionConfiguration file: configuration of admission plug-ins by name (runtime/admission/config.ts). */
  admissionControlConfigFile?: string;
  /** DefaultTolerationSeconds' tolerations for the not-ready and unreachable taints. */
  defaultNotReadyTolerationSeconds: number;
  defaultUnreachableTolerationSeconds: number;
}

export function addAdmissionFlags(program: Command): Command {
  return program
    .option('--enable-admission-plugins <names>', 'admission plugins to turn on besides the default ones (comma-separated; the order is always the built-in one)', list, [])
    .option('--disable-admission-plugins <names>', 'admission plugins to turn off, even default ones (comma-separated)', list, [])
    .option('--admission-control-config-file <file>', 'AdmissionConfiguration file with the configuration of admission plugins (PodSecurity defaults and exemptions, webhook kubeconfigs)')
    .option('--default-not-ready-toleration-seconds <n>', 'tolerationSeconds of the not-ready:NoExecute toleration DefaultTolerationSeconds adds', int, 300)
    .option('--default-unreachable-toleration-seconds <n>', 'tolerationSeconds of the unreachable:NoExecute toleration DefaultTolerationSeconds adds', int, 300);
}

/** Reads the parsed flags; problems are appended to `errors`. */
export function admissionOptions(o: ParsedFlags, errors: string[]): AdmissionOptions {
  const plugins = enabledAdmissionPlugins(o.enableAdmissionPlugins, o.disableAdmissionPlugins);
  errors.push(...plugins.errors);
  return {
    admissionPlugins: plugins.names,
    admissionControlConfigFile: o.admissionControlConfigFile,
    defaultNotReadyTolerationSeconds: o.defaultNotReadyTolerationSeconds,
    defaultUnreachableTolerationSeconds: o.defaultUnreachableTolerationSeconds,
  };
}
