import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { duplicate, invalid, notSupported, required, tooMany } from '../../../runtime/machinery/field-errors.ts';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../../runtime/machinery/string-checks.ts';
import { ipFamily, nonSpecialIPErrors } from '../../core/v1/ip-address.ts';
import { validateLabels } from '../../meta/v1/validation-helpers.ts';
import type { Endpoint, EndpointPort, EndpointSlice } from './endpointslice.ts';

// Limits of upstream's pkg/apis/discovery/validation (v1.32).
const maxEndpoints = 1000;
const maxAddresses = 100;
const maxPorts = 20000;
const maxTopologyLabels = 16;
const maxZoneHints = 8;
const supportedAddressTypes = ['FQDN', 'IPv4', 'IPv6'];

/** Upstream's IsFullyQualifiedDomainName: a DNS subdomain (a trailing dot allowed) of two labels or more. */
function fqdnErrors(name: string, path: string): FieldError[] {
  if (!name) return [required(path, '')];
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  const errs = isDNS1123Subdomain(bare);
  if (errs.length) return [invalid(path, bare, errs.join(','))];
  const labels = bare.split('.');
  if (labels.length < 2) return [invalid(path, bare, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const labelErrs = isDNS1123Label(label);
    if (labelErrs.length) return [invalid(path, label, labelErrs.join(','))];
  }
  return [];
}

/** An address of the slice's type: IPv4 and IPv6 both as that family and as a usable endpoint IP, as upstream. */
function addressErrors(type: string, address: string, path: string): FieldError[] {
  switch (type) {
    case 'IPv4':
    case 'IPv6': {
      const ofType = ipFamily(address) === (type === 'IPv4' ? 4 : 6);
      return [...(ofType ? [] : [invalid(path, address, `must be a valid ${type} address`)]), ...nonSpecialIPErrors(address, path)];
    }
    case 'FQDN':
      return fqdnErrors(address, path);
    default:
      return []; // an unknown type is reported once, at addressType
  }
}

function endpointErrors(ep: Endpoint, type: string, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const addresses = ep.addresses ?? [];
  if (addresses.length === 0) errors.push(required(`${at}.addresses`, 'must contain at least 1 address'));
  else if (addresses.length > maxAddresses) errors.push(tooMany(`${at}.addresses`, addresses.length, maxAddresses));
  addresses.forEach((a, j) => errors.push(...addressErrors(type, a, `${at}.addresses[${j}]`)));
  if (ep.nodeName != null) for (const msg of isDNS1123Subdomain(ep.nodeName)) errors.push(invalid(`${at}.nodeName`, ep.nodeName, msg));
  const topology = ep.deprecatedTopology ?? {};
  const topologyCount = Object.keys(topology).length;
  if (topologyCount > maxTopologyLabels) errors.push(tooMany(`${at}.deprecatedTopology`, topologyCount, maxTopologyLabels));
  errors.push(...validateLabels(ep.deprecatedTopology, `${at}.deprecatedTopology`));
  if (ep.hostname != null) for (const msg of isDNS1123Label(ep.hostname)) errors.push(invalid(`${at}.hostname`, ep.hostname, msg));
  if (ep.hints) {
    const zones = ep.hints.forZones ?? [];
    if (zones.length > maxZoneHints) errors.push(tooMany(`${at}.hints.forZones`, zones.length, maxZoneHints));
    else {
      const seen = new Set<string>();
      zones.forEach((z, k) => {
        const path = `${at}.hints.forZones[${k}].name`;
        const name = z.name ?? '';
        if (seen.has(name)) errors.push(duplicate(path, name));
        seen.add(name);
        for (const msg of isValidLabelValue(name)) errors.push(invalid(path, name, msg));
      });
    }
  }
  return errors;
}

function portErrors(ports: EndpointPort[]): FieldError[] {
  if (ports.length > maxPorts) return [tooMany('ports', ports.length, maxPorts)];
  const errors: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = `ports[${i}]`;
    const name = p.name ?? '';
    if (name) for (const msg of isDNS1123Label(name)) errors.push(invalid(`${at}.name`, name, msg));
    if (names.has(name)) errors.push(duplicate(`${at}.name`, name));
    names.add(name);
    if (p.appProtocol != null) for (const msg of isQualifiedName(p.appProtocol)) errors.push(invalid(`${at}.appProtocol`, p.appProtocol, msg));
  });
  return errors;
}

/**
 * Upstream's validateAddressType: a missing type is Required, not an unsupported "" as the schema's enum would have
 * it, and an update that empties it hears both that and the immutability below.
 */
function addressTypeErrors(type: string | undefined): FieldError[] {
  if (!type) return [required('addressType', '')];
  return supportedAddressTypes.includes(type) ? [] : [notSupported('addressType', type, supportedAddressTypes)];
}

/** Upstream's ValidateEndpointSliceCreate/Update; the protocol enum is checked by the schema. */
export function validate_EndpointSlice(obj: EndpointSlice, old?: EndpointSlice): FieldError[] {
  const errors: FieldError[] = addressTypeErrors(obj.addressType);
  const endpoints = obj.endpoints ?? [];
  if (endpoints.length > maxEndpoints) errors.push(tooMany('endpoints', endpoints.length, maxEndpoints));
  else endpoints.forEach((ep, i) => errors.push(...endpointErrors(ep, obj.addressType, `endpoints[${i}]`)));
  errors.push(...portErrors(obj.ports ?? []));
  if (old && old.addressType !== obj.addressType) errors.push(invalid('addressType', obj.addressType, 'field is immutable'));
  return errors;
}
