/**
 * Endpoints as kube-apiserver v1.32's ValidateEndpoints checks them (validateEndpointSubsets, validateEndpointAddress,
 * validateEndpointPort), with its paths, messages and order. ObjectMeta is the generic strategy's.
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { invalid, required } from '../../../runtime/machinery/field-errors.ts';
import { validateName, validateQualifiedName } from '../../../runtime/registry/objectmeta.ts';
import type { EndpointAddress, EndpointPort, Endpoints } from './endpoints.ts';
import { isIP, nonSpecialIPErrors } from './ip-address.ts';
import { ipMsg, portRangeMsg, validPort } from './validation-common.ts';

function validateAddress(a: EndpointAddress, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const ip = a.ip ?? '';
  if (!isIP(ip)) errors.push(invalid(`${path}.ip`, ip, ipMsg));
  if (a.hostname) errors.push(...validateName(a.hostname, 'dns1123-label', `${path}.hostname`));
  if (a.nodeName != null) errors.push(...validateName(a.nodeName, 'dns1123-subdomain', `${path}.nodeName`));
  // Upstream runs the special-range check even on an address it already refused, which adds a second message.
  errors.push(...nonSpecialIPErrors(ip, `${path}.ip`));
  return errors;
}

function validatePort(p: EndpointPort, requireName: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (requireName && !p.name) errors.push(required(`${path}.name`, ''));
  else if (p.name) errors.push(...validateName(p.name, 'dns1123-label', `${path}.name`));
  if (!validPort(p.port ?? 0)) errors.push(invalid(`${path}.port`, p.port ?? 0, portRangeMsg));
  // protocol is defaulted to TCP and its values are the schema's enumeration.
  if (p.appProtocol != null) errors.push(...validateQualifiedName(p.appProtocol, `${path}.appProtocol`));
  return errors;
}

/** Upstream's ValidateEndpoints (also its update check: nodeName may change). */
export function validateEndpoints(obj: Endpoints): FieldError[] {
  const errors: FieldError[] = [];
  (obj.subsets ?? []).forEach((ss, i) => {
    const path = `subsets[${i}]`;
    if (!ss.addresses?.length && !ss.notReadyAddresses?.length) errors.push(required(path, 'must specify `addresses` or `notReadyAddresses`'));
    (ss.addresses ?? []).forEach((a, j) => errors.push(...validateAddress(a, `${path}.addresses[${j}]`)));
    (ss.notReadyAddresses ?? []).forEach((a, j) => errors.push(...validateAddress(a, `${path}.notReadyAddresses[${j}]`)));
    const ports = ss.ports ?? [];
    ports.forEach((p, j) => errors.push(...validatePort(p, ports.length > 1, `${path}.ports[${j}]`)));
  });
  return errors;
}
