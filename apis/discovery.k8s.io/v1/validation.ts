import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { duplicate, invalid, required, tooMany } from '../../../runtime/machinery/field-errors.ts';
import { isIP } from 'node:net';
import { validateLabels } from '../../meta/v1/validation-helpers.ts';
import type { EndpointSlice } from './endpointslice.ts';

const maxEndpoints = 1000;
const maxAddresses = 100;
const maxPorts = 100;
const maxHints = 8;
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function addressErrors(type: string, address: string): string[] {
  switch (type) {
    case 'IPv4':
      return isIP(address) === 4 ? [] : ['must be a valid IPv4 address'];
    case 'IPv6':
      return isIP(address) === 6 ? [] : ['must be a valid IPv6 address'];
    case 'FQDN':
      return address.length <= 253 && dns1123Subdomain.test(address) ? [] : ["a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"];
    default:
      return [];
  }
}

export function validate_EndpointSlice(obj: EndpointSlice, old?: EndpointSlice): FieldError[] {
  const errors: FieldError[] = [];
  const endpoints = obj.endpoints ?? [];
  if (endpoints.length > maxEndpoints) errors.push(tooMany('endpoints', endpoints.length, maxEndpoints));
  endpoints.forEach((ep, i) => {
    const at = `endpoints[${i}]`;
    const addresses = ep.addresses ?? [];
    if (addresses.length === 0) errors.push(required(`${at}.addresses`, 'must contain at least 1 address'));
    else if (addresses.length > maxAddresses) errors.push(tooMany(`${at}.addresses`, addresses.length, maxAddresses));
    addresses.forEach((a, j) => {
      for (const msg of addressErrors(obj.addressType, a)) errors.push(invalid(`${at}.addresses[${j}]`, a, msg));
    });
    if (ep.hostname && (ep.hostname.length > 63 || !dns1123Label.test(ep.hostname))) {
      errors.push(invalid(`${at}.hostname`, ep.hostname, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"));
    }
    errors.push(...validateLabels(ep.deprecatedTopology, `${at}.deprecatedTopology`));
    const zones = ep.hints?.forZones ?? [];
    if (zones.length > maxHints) errors.push(tooMany(`${at}.hints.forZones`, zones.length, maxHints));
  });
  const ports = obj.ports ?? [];
  if (ports.length > maxPorts) errors.push(tooMany('ports', ports.length, maxPorts));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = `ports[${i}]`;
    const name = p.name ?? '';
    if (name && (name.length > 63 || !dns1123Label.test(name))) {
      errors.push(invalid(`${at}.name`, name, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"));
    }
    if (names.has(name)) errors.push(duplicate(`${at}.name`, name));
    names.add(name);
    if (p.port != null && (p.port < 1 || p.port > 65535)) errors.push(invalid(`${at}.port`, p.port, 'must be between 1 and 65535, inclusive'));
  });
  if (old && old.addressType !== obj.addressType) errors.push(invalid('addressType', obj.addressType, 'field is immutable'));
  return errors;
}
