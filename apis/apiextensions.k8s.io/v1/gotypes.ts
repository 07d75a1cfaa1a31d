/**
 * Go's names of this version's types where they are not what codegen derives from the declarations (named types,
 * Go struct names): the decoder's errors name them. Facts of k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1 at v0.32.0,
 * written by scripts/go-type-facts.ts.
 */
export const goTypes: Record<string, string> = {
  'CustomResourceConversion.strategy': 'v1.ConversionStrategyType',
  'CustomResourceDefinitionCondition.status': 'v1.ConditionStatus',
  'CustomResourceDefinitionCondition.type': 'v1.CustomResourceDefinitionConditionType',
  'CustomResourceDefinitionSpec.scope': 'v1.ResourceScope',
  'JSONSchemaProps.$schema': 'v1.JSONSchemaURL',
  'JSONSchemaProps.definitions': 'v1.JSONSchemaDefinitions',
  'JSONSchemaProps.dependencies': 'v1.JSONSchemaDependencies',
  'JSONSchemaProps.x-kubernetes-validations': 'v1.ValidationRules',
  'ValidationRule.reason': 'v1.FieldValueErrorReason',
};
