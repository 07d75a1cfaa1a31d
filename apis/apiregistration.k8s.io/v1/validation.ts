import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { invalid, required } from '../../../runtime/machinery/field-errors.ts';
import type { APIService } from './apiservice.ts';
import { isDNS1035Label, isDNS1123Subdomain, isValidPathSegmentName } from '../../../runtime/machinery/string-checks.ts';


/** The rules of upstream's aggregator: the name is `<version>.<group>`, priorities in range, TLS settings consistent. */
export function validate_APIService(obj: APIService, _old?: APIService): FieldError[] {
  const errors: FieldError[] = [];
  const spec = obj.spec ?? ({} as NonNullable<APIService['spec']>);
  const group = spec.group ?? '';
  const version = spec.version ?? '';
  const name = obj.metadata?.name ?? '';
  const requiredName = `${version}.${group}`;
  // Upstream's name function returns a name's path-segment failures alone (the schema reports them), and only a
  // well-formed name is held to the version.group rule.
  if (name && isValidPathSegmentName(name).length === 0 && name !== requiredName) errors.push(invalid('metadata.name', name, `must be \`spec.version+"."+spec.group\`: ${JSON.stringify(requiredName)}`));
  if (group === '' && version !== 'v1') errors.push(required('spec.group', 'only v1 may have an empty group and it better be legacy kube'));
  if (group !== '') for (const msg of isDNS1123Subdomain(group)) errors.push(invalid('spec.group', group, msg));
  for (const msg of isDNS1035Label(version)) errors.push(invalid('spec.version', version, msg));
  const gpm = spec.groupPriorityMinimum ?? 0;
  if (gpm <= 0 || gpm > 20000) errors.push(invalid('spec.groupPriorityMinimum', gpm, 'must be positive and less than 20000'));
  const vp = spec.versionPriority ?? 0;
  if (vp <= 0 || vp > 1000) errors.push(invalid('spec.versionPriority', vp, 'must be positive and less than 1000'));

  const svc = spec.service;
  if (!svc) {
    if (spec.caBundle) errors.push(invalid('spec.caBundle', `${Buffer.from(spec.caBundle, 'base64').length} bytes`, 'local APIServices may not have a caBundle'));
    if (spec.insecureSkipTLSVerify) errors.push(invalid('spec.insecureSkipTLSVerify', true, 'local APIServices may not have insecureSkipTLSVerify'));
    return errors;
  }
  if (!svc.namespace) errors.push(required('spec.service.namespace', ''));
  if (!svc.name) errors.push(required('spec.service.name', ''));
  const port = svc.port ?? 443;
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors.push(invalid('spec.service.port', port, 'port is not valid: must be between 1 and 65535, inclusive'));
  if (spec.insecureSkipTLSVerify && spec.caBundle) errors.push(invalid('spec.insecureSkipTLSVerify', true, 'may not be true if caBundle is present'));
  return errors;
}
