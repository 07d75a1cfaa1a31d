/**
 * The flags of client certificates, static and bootstrap tokens, the front proxy and anonymous requests, with
 * kube-apiserver's names and defaults (token flags: token-options.ts).
 */
import type { Command } from 'commander';
import { bool, list, type ParsedFlags } from '../../server/flag-parsers.ts';

export interface AuthenticationOptions {
  anonymousAuth: boolean;
  clientCaFile?: string;
  tokenAuthFile?: string;
  enableBootstrapTokenAuth: boolean;
  requestheaderClientCaFile?: string;
  requestheaderAllowedNames: string[];
  requestheaderUsernameHeaders: string[];
  requestheaderGroupHeaders: string[];
  requestheaderExtraHeadersPrefix: string[];
}

export function addAuthenticationFlags(program: Command): Command {
  return program
    .option('--anonymous-auth <bool>', 'whether unauthenticated requests are served as system:anonymous', bool, true)
    .option('--client-ca-file <file>', 'CA that signs client certificates (PEM)')
    .option('--token-auth-file <file>', 'CSV of static bearer tokens: token,user,uid,"group1,group2"')
    .option('--enable-bootstrap-token-auth [bool]', 'accept bootstrap tokens (Secrets of type bootstrap.kubernetes.io/token in kube-system)', bool, false)
    .option('--requestheader-client-ca-file <file>', 'CA that signs the front proxy client certificates allowed to assert users in request headers')
    .option('--requestheader-allowed-names <names>', 'client certificate CNs allowed to assert users in headers (empty: any signed by the CA)', list, [])
    .option('--requestheader-username-headers <headers>', 'request headers holding the user name, e.g. X-Remote-User', list, [])
    .option('--requestheader-group-headers <headers>', 'request headers holding the groups, e.g. X-Remote-Group', list, [])
    .option('--requestheader-extra-headers-prefix <prefixes>', 'request header prefixes of extra user attributes, e.g. X-Remote-Extra-', list, []);
}

export function authenticationOptions(o: ParsedFlags): AuthenticationOptions {
  return {
    anonymousAuth: o.anonymousAuth,
    clientCaFile: o.clientCaFile,
    tokenAuthFile: o.tokenAuthFile,
    enableBootstrapTokenAuth: o.enableBootstrapTokenAuth === true,
    requestheaderClientCaFile: o.requestheaderClientCaFile,
    requestheaderAllowedNames: o.requestheaderAllowedNames,
    requestheaderUsernameHeaders: o.requestheaderUsernameHeaders,
    requestheaderGroupHeaders: o.requestheaderGroupHeaders,
    requestheaderExtraHeadersPrefix: o.requestheaderExtraHeadersPrefix,
  };
}
