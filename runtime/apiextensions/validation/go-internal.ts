/**
 * The internal apiextensions types (k8s.io/apiextensions-apiserver/pkg/apis/apiextensions) upstream's CRD
 * validation reports whole, as Go's `%#v` prints them (go-syntax.ts).
 */
import { goBool, goInt, goLazy, goNamedInterface, goMap, goPointer, goSlice, goString, goStruct, type GoType } from '../../machinery/go-syntax.ts';

export const goCRDVersions = goSlice(
  goStruct('apiextensions.CustomResourceDefinitionVersion', [
    ['Name', goString()],
    ['Served', goBool()],
    ['Storage', goBool()],
    ['Deprecated', goBool()],
    ['DeprecationWarning', goPointer('string')],
    ['Schema', goPointer('apiextensions.CustomResourceValidation')],
    ['Subresources', goPointer('apiextensions.CustomResourceSubresources')],
    ['AdditionalPrinterColumns', goSlice(goStruct('apiextensions.CustomResourceColumnDefinition', [
      ['Name', goString()],
      ['Type', goString()],
      ['Format', goString()],
      ['Description', goString()],
      ['Priority', goInt()],
      ['JSONPath', goString(), 'jsonPath'],
    ]))],
    ['SelectableFields', goSlice(goStruct('apiextensions.SelectableField', [['JSONPath', goString(), 'jsonPath']]))],
  ]),
);

export const goValidationRule = goStruct('apiextensions.ValidationRule', [
  ['Rule', goString()],
  ['Message', goString()],
  ['MessageExpression', goString()],
  ['Reason', goPointer('apiextensions.FieldValueErrorReason')],
  ['FieldPath', goString()],
  ['OptionalOldSelf', goPointer('bool')],
]);


const schemaOrStringArray = goStruct('apiextensions.JSONSchemaPropsOrStringArray', [
  ['Schema', goPointer('apiextensions.JSONSchemaProps'), 'schema'],
  ['Property', goSlice(goString()), 'property'],
]);
/** A dependency is a schema or a list of property names (JSON gives one or the other). */
const goSchemaOrStringArray: GoType = {
  name: schemaOrStringArray.name,
  print: (v) => schemaOrStringArray.print(Array.isArray(v) ? { property: v } : { schema: v }),
};

const goJSONSchemaPropsMap = (name: string) => goMap(goLazy('apiextensions.JSONSchemaProps', () => goJSONSchemaProps), name);

/** The internal JSONSchemaProps (types_jsonschema.go; field order differs from v1's), nested schemas printed whole. */
export const goJSONSchemaProps: GoType = goStruct('apiextensions.JSONSchemaProps', [
  ['ID', goString(), 'id'],
  ['Schema', goString(), '$schema'],
  ['Ref', goPointer('string'), '$ref'],
  ['Description', goString()],
  ['Type', goString()],
  ['Nullable', goBool()],
  ['Format', goString()],
  ['Title', goString()],
  ['Default', goPointer('apiextensions.JSON')],
  ['Maximum', goPointer('float64')],
  ['ExclusiveMaximum', goBool()],
  ['Minimum', goPointer('float64')],
  ['ExclusiveMinimum', goBool()],
  ['MaxLength', goPointer('int64')],
  ['MinLength', goPointer('int64')],
  ['Pattern', goString()],
  ['MaxItems', goPointer('int64')],
  ['MinItems', goPointer('int64')],
  ['UniqueItems', goBool()],
  ['MultipleOf', goPointer('float64')],
  ['Enum', goSlice(goNamedInterface('apiextensions.JSON'), '[]apiextensions.JSON')],
  ['MaxProperties', goPointer('int64')],
  ['MinProperties', goPointer('int64')],
  ['Required', goSlice(goString())],
  ['Items', goPointer('apiextensions.JSONSchemaPropsOrArray')],
  ['AllOf', goSlice(goLazy('apiextensions.JSONSchemaProps', () => goJSONSchemaProps))],
  ['OneOf', goSlice(goLazy('apiextensions.JSONSchemaProps', () => goJSONSchemaProps))],
  ['AnyOf', goSlice(goLazy('apiextensions.JSONSchemaProps', () => goJSONSchemaProps))],
  ['Not', goPointer('apiextensions.JSONSchemaProps')],
  ['Properties', goJSONSchemaPropsMap('map[string]apiextensions.JSONSchemaProps')],
  ['AdditionalProperties', goPointer('apiextensions.JSONSchemaPropsOrBool')],
  ['PatternProperties', goJSONSchemaPropsMap('map[string]apiextensions.JSONSchemaProps')],
  ['Dependencies', goMap(goSchemaOrStringArray, 'apiextensions.JSONSchemaDependencies')],
  ['AdditionalItems', goPointer('apiextensions.JSONSchemaPropsOrBool')],
  ['Definitions', goJSONSchemaPropsMap('apiextensions.JSONSchemaDefinitions')],
  ['ExternalDocs', goPointer('apiextensions.ExternalDocumentation')],
  ['Example', goPointer('apiextensions.JSON')],
  ['XPreserveUnknownFields', goPointer('bool'), 'x-kubernetes-preserve-unknown-fields'],
  ['XEmbeddedResource', goBool(), 'x-kubernetes-embedded-resource'],
  ['XIntOrString', goBool(), 'x-kubernetes-int-or-string'],
  ['XListMapKeys', goSlice(goString()), 'x-kubernetes-list-map-keys'],
  ['XListType', goPointer('string'), 'x-kubernetes-list-type'],
  ['XMapType', goPointer('string'), 'x-kubernetes-map-type'],
  ['XValidations', goSlice(goValidationRule, 'apiextensions.ValidationRules'), 'x-kubernetes-validations'],
]);
