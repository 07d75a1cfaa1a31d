/**
 * Validation of CustomResourceDefinitions at write time (upstream's `pkg/apis/apiextensions/validation` and the
 * structural-schema rules of `pkg/apiserver/schema`), with upstream's field paths and messages.
 */
export {
  validateCustomResourceDefinition,
  validateCustomResourceDefinitionUpdate,
  validateCustomResourceDefinitionStatusUpdate,
  validateNames,
  isConditionTrue,
  isProtectedCommunityGroup,
  apiApprovalState,
  validateWebhookURL,
  validateWebhookService,
  dns1035Errors,
  maxSelectableFields,
} from './crd.ts';
export { validateStructural, isNonStructural, structuralConversionError } from './structural.ts';
export { compileRule, type CompiledRule } from './cel.ts';
export { validFieldPath, type FieldPathResult } from './fieldpath.ts';
export { validateDefaults, hasUnknownFields } from './defaults.ts';
export type { Schema } from './paths.ts';
