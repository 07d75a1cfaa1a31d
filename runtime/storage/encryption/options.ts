/** The encryption-at-rest flags, with kube-apiserver's names. */
import type { Command } from 'commander';
import { bool, type ParsedFlags } from '../../server/flag-parsers.ts';

export interface EncryptionOptions {
  /** `--encryption-provider-config`: an EncryptionConfiguration file; absent: nothing is encrypted at rest. */
  encryptionProviderConfig?: string;
  /** `--encryption-provider-config-automatic-reload`: apply changes to that file without a restart. */
  encryptionProviderConfigAutomaticReload: boolean;
}

export function addEncryptionFlags(program: Command): Command {
  return program
    .option('--encryption-provider-config <file>', 'EncryptionConfiguration file: how resources are encrypted at rest')
    .option('--encryption-provider-config-automatic-reload <bool>', 'apply changes to the encryption provider config without a restart', bool, false);
}

export function encryptionOptions(o: ParsedFlags, errors: string[]): EncryptionOptions {
  if (o.encryptionProviderConfigAutomaticReload && !o.encryptionProviderConfig) errors.push('--encryption-provider-config-automatic-reload must be set with --encryption-provider-config');
  return { encryptionProviderConfig: o.encryptionProviderConfig, encryptionProviderConfigAutomaticReload: o.encryptionProviderConfigAutomaticReload };
}
