import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { forbidden, invalid, notSupported, required, tooMany } from '../../../runtime/machinery/field-errors.ts';
import { isQualifiedName } from '../../../runtime/machinery/string-checks.ts';
import type { StorageClass } from './storageclass.ts';

const maxParameters = 512;
const maxParametersBytes = 256 * 1024;

export function validate_StorageClass(obj: StorageClass, old?: StorageClass): FieldError[] {
  const errors: FieldError[] = [];
  if (!obj.provisioner) errors.push(required('provisioner', ''));
  else for (const msg of isQualifiedName(obj.provisioner.toLowerCase())) errors.push(invalid('provisioner', obj.provisioner, msg));
  const params = Object.entries(obj.parameters ?? {});
  if (params.length > maxParameters) errors.push(tooMany('parameters', params.length, maxParameters));
  let size = 0;
  for (const [k, v] of params) {
    if (!k) errors.push(invalid('parameters', k, 'field can not be empty.'));
    size += k.length + v.length;
  }
  if (size > maxParametersBytes) errors.push(invalid('parameters', '', `total size of parameters must be less than ${maxParametersBytes} bytes`));
  if (obj.reclaimPolicy && obj.reclaimPolicy !== 'Delete' && obj.reclaimPolicy !== 'Retain') {
    errors.push(notSupported('reclaimPolicy', obj.reclaimPolicy, ['Delete', 'Retain']));
  }
  if (!obj.volumeBindingMode) errors.push(required('volumeBindingMode', ''));
  (obj.allowedTopologies ?? []).forEach((term, i) => {
    (term.matchLabelExpressions ?? []).forEach((req, j) => {
      const at = `allowedTopologies[${i}].matchLabelExpressions[${j}]`;
      for (const msg of isQualifiedName(req.key ?? '')) errors.push(invalid(`${at}.key`, req.key, msg));
      if (!req.values?.length) errors.push(required(`${at}.values`, 'must specify as least one value'));
    });
  });
  if (old) {
    if (JSON.stringify(old.parameters ?? {}) !== JSON.stringify(obj.parameters ?? {})) errors.push(forbidden('parameters', 'updates to parameters are forbidden.'));
    if (old.provisioner !== obj.provisioner) errors.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (old.reclaimPolicy !== obj.reclaimPolicy) errors.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    if (old.volumeBindingMode !== obj.volumeBindingMode) errors.push(invalid('volumeBindingMode', obj.volumeBindingMode, 'field is immutable'));
  }
  return errors;
}
