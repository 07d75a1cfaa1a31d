/**
 * Every kind's strategy override, one module per kind (as upstream's `pkg/registry/<group>/<kind>`); importing
 * this registers them all with `strategyFor`. Kinds without a module here get the DefaultStrategy.
 */
import './admissionregistration/validatingadmissionpolicy.ts';
import './admissionregistration/webhookconfiguration.ts';
import './apiextensions/customresourcedefinition.ts';
import './apiregistration/apiservice.ts';
import './apps/daemonset.ts';
import './apps/deployment.ts';
import './apps/replicaset.ts';
import './apps/statefulset.ts';
import './autoscaling/horizontalpodautoscaler.ts';
import './batch/cronjob.ts';
import './batch/job.ts';
import './certificates/certificatesigningrequest.ts';
import './coordination/lease.ts';
import './discovery/endpointslice.ts';
import './flowcontrol/flowcontrol.ts';
import './core/endpoints.ts';
import './core/event.ts';
import './core/limitrange.ts';
import './core/namespace.ts';
import './core/node.ts';
import './core/pending-status.ts';
import './core/persistentvolume.ts';
import './core/persistentvolumeclaim.ts';
import './core/pod.ts';
import './core/pod-disabled-fields.ts';
import './core/pod-subresources.ts';
import './core/podtemplate.ts';
import './core/replicationcontroller.ts';
import './core/resourcequota.ts';
import './core/service.ts';
import './core/serviceaccount.ts';
import './networking/ingress.ts';
import './networking/networkpolicy.ts';
import './node/runtimeclass.ts';
import './policy/poddisruptionbudget.ts';
import './scheduling/priorityclass.ts';
import './storage/csidriver.ts';
import './storage/csinode.ts';
import './storage/csistoragecapacity.ts';
import './storage/storageclass.ts';
import './storage/volumeattachment.ts';
