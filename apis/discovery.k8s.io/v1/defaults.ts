import type { EndpointPort } from './endpointslice.ts';

export function setDefaults_EndpointPort(obj: EndpointPort): void {
  if (obj.name === undefined) obj.name = '';
  if (obj.protocol === undefined) obj.protocol = 'TCP';
}
