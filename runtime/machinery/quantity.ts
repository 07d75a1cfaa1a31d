/**
 * Resource quantities (`500m`, `1Gi`, `2e3`): the serialisation rules of upstream's resource.Quantity.
 */

// sign, digits with an optional fraction, then a binary-SI suffix, a decimal-SI suffix or a decimal exponent.
const quantityPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

export function isQuantity(value: string): boolean {
  return quantityPattern.test(value);
}
