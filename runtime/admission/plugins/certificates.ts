/**
 * The CertificateSigningRequest admission plug-ins, as upstream's plugin/pkg/admission/certificates:
 * - CertificateApproval: writing `/approval` needs the `approve` verb on the signer (`signers` in
 *   certificates.k8s.io, named the signer name or `<domain>/*`);
 * - CertificateSigning: changing the certificate or conditions through `/status` needs `sign` on the signer;
 * - CertificateSubjectRestriction: requests to `kubernetes.io/kube-apiserver-client` may not ask for the
 *   `system:masters` group.
 * The signer checks ask the server's authorizer (passed as `options.authorizer`); without one they allow, as the
 * AlwaysAllow mode would answer.
 */
import type { UserInfo } from '../../auth/user.ts';
import type { Attributes, Authorizer } from '../../auth/authorization/types.ts';
import { parseCSR } from '../../certificates/csr.ts';
import { requestPem } from '../../certificates/validation.ts';
import type { AdmissionPluginFactory } from '../registry.ts';
import { admissionForbidden, type AdmissionAttributes } from '../types.ts';

const group = 'certificates.k8s.io';
const resource = 'certificatesigningrequests';
const kubeAPIServerClientSigner = 'kubernetes.io/kube-apiserver-client';

function isCSR(attrs: AdmissionAttributes, subresource: string): boolean {
  return attrs.resource.group === group && attrs.resource.resource === resource && attrs.subresource === subresource;
}

function signerAttributes(user: UserInfo, verb: string, name: string): Attributes {
  return { user, verb, resourceRequest: true, apiGroup: group, apiVersion: '*', resource: 'signers', subresource: '', namespace: '', name, path: '' };
}

/**
 * Whether `user` may `verb` the signer: by its exact name, or by `<domain>/*` for every signer of the domain
 * (upstream's IsAuthorizedForSignerName). Authorizer errors count as no.
 */
export async function isAuthorizedForSignerName(authorizer: Authorizer | undefined, user: UserInfo, verb: string, signerName: string): Promise<boolean> {
  if (!authorizer) return true;
  const ask = async (name: string) => {
    try {
      return (await authorizer.authorize(signerAttributes(user, verb, name))).decision === 'allow';
    } catch {
      return false;
    }
  };
  if (await ask(signerName)) return true;
  return ask(`${signerName.split('/')[0]}/*`);
}

function authorizerOf(options: Readonly<Record<string, unknown>>): Authorizer | undefined {
  return options.authorizer as Authorizer | undefined;
}

export const certificateApproval: AdmissionPluginFactory = (deps) => {
  const authorizer = authorizerOf(deps.options);
  return {
    name: 'CertificateApproval',
    async validate(attrs) {
      if (attrs.operation !== 'UPDATE' || !isCSR(attrs, 'approval')) return;
      // The new object's signer: a request that tries to change it through /approval is refused by validation anyway.
      const signerName = String(attrs.object?.spec?.signerName ?? '');
      if (!(await isAuthorizedForSignerName(authorizer, attrs.user, 'approve', signerName))) {
        throw admissionForbidden(attrs, `user not permitted to approve requests with signerName "${signerName}"`);
      }
    },
  };
};

export const certificateSigning: AdmissionPluginFactory = (deps) => {
  const authorizer = authorizerOf(deps.options);
  return {
    name: 'CertificateSigning',
    async validate(attrs) {
      if (attrs.operation !== 'UPDATE' || !isCSR(attrs, 'status')) return;
      const old = attrs.oldObject;
      const obj = attrs.object;
      const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
      if (same(obj?.status?.certificate, old?.status?.certificate) && same(obj?.status?.conditions, old?.status?.conditions)) return;
      const signerName = String(old?.spec?.signerName ?? '');
      if (!(await isAuthorizedForSignerName(authorizer, attrs.user, 'sign', signerName))) {
        throw admissionForbidden(attrs, `user not permitted to sign requests with signerName "${signerName}"`);
      }
    },
  };
};

export const certificateSubjectRestriction: AdmissionPluginFactory = () => ({
  name: 'CertificateSubjectRestriction',
  async validate(attrs) {
    if (attrs.operation !== 'CREATE' || !isCSR(attrs, '')) return;
    const signerName = attrs.object?.spec?.signerName;
    if (signerName !== kubeAPIServerClientSigner) return;
    let organizations: string[];
    try {
      organizations = parseCSR(requestPem(attrs.object)).organizations;
    } catch (e) {
      throw admissionForbidden(attrs, `failed to parse CSR: ${(e as Error).message}`);
    }
    if (organizations.includes('system:masters')) {
      throw admissionForbidden(attrs, `use of ${signerName} signer with system:masters group is not allowed`);
    }
  },
});
