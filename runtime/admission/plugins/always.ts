/** AlwaysAdmit and AlwaysDeny: upstream's deprecated test plug-ins, kept because their names are accepted. */
import { failure } from '../../machinery/status.ts';
import type { AdmissionPlugin } from '../types.ts';

export function alwaysAdmit(): AdmissionPlugin {
  return { name: 'AlwaysAdmit' };
}

export function alwaysDeny(): AdmissionPlugin {
  return {
    name: 'AlwaysDeny',
    async validate() {
      throw failure(403, 'Forbidden', 'admission control is denying all modifications');
    },
  };
}
