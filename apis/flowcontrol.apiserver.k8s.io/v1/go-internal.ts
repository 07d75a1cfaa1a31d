/**
 * The internal flowcontrol types (k8s.io/kubernetes/pkg/apis/flowcontrol) upstream's validation reports whole, as
 * Go's `%#v` prints them (go-syntax.ts).
 */
import { goBool, goInt, goPointer, goSlice, goString, goStrings, goStruct } from '../../../runtime/machinery/go-syntax.ts';

const goSubject = goStruct('flowcontrol.Subject', [
  ['Kind', goString('flowcontrol.SubjectKind')],
  ['User', goPointer('flowcontrol.UserSubject')],
  ['Group', goPointer('flowcontrol.GroupSubject')],
  ['ServiceAccount', goPointer('flowcontrol.ServiceAccountSubject')],
]);

const goResourcePolicyRule = goStruct('flowcontrol.ResourcePolicyRule', [
  ['Verbs', goStrings],
  ['APIGroups', goStrings, 'apiGroups'],
  ['Resources', goStrings],
  ['ClusterScope', goBool()],
  ['Namespaces', goStrings],
]);

const goNonResourcePolicyRule = goStruct('flowcontrol.NonResourcePolicyRule', [
  ['Verbs', goStrings],
  ['NonResourceURLs', goStrings, 'nonResourceURLs'],
]);

const goPolicyRulesWithSubjects = goStruct('flowcontrol.PolicyRulesWithSubjects', [
  ['Subjects', goSlice(goSubject)],
  ['ResourceRules', goSlice(goResourcePolicyRule)],
  ['NonResourceRules', goSlice(goNonResourcePolicyRule)],
]);

export const goFlowSchemaSpec = goStruct('flowcontrol.FlowSchemaSpec', [
  ['PriorityLevelConfiguration', goStruct('flowcontrol.PriorityLevelConfigurationReference', [['Name', goString()]])],
  ['MatchingPrecedence', goInt()],
  ['DistinguisherMethod', goPointer('flowcontrol.FlowDistinguisherMethod')],
  ['Rules', goSlice(goPolicyRulesWithSubjects)],
]);

export const goPriorityLevelConfigurationSpec = goStruct('flowcontrol.PriorityLevelConfigurationSpec', [
  ['Type', goString('flowcontrol.PriorityLevelEnablement')],
  ['Limited', goPointer('flowcontrol.LimitedPriorityLevelConfiguration')],
  ['Exempt', goPointer('flowcontrol.ExemptPriorityLevelConfiguration')],
]);
