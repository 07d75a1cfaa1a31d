/**
 * The internal apiextensions types (k8s.io/apiextensions-apiserver/pkg/apis/apiextensions) upstream's CRD
 * validation reports whole, as Go's `%#v` prints them (go-syntax.ts).
 */
import { goBool, goInt, goPointer, goSlice, goString, goStruct } from '../../machinery/go-syntax.ts';

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

export const goStrings = goSlice(goString());
