/**
 * Every kind's strategy override, one module per kind (as upstream's `pkg/registry/<group>/<kind>`); importing
 * this registers them all with `strategyFor`. Kinds without a module here get the DefaultStrategy.
 */
import './apiextensions/customresourcedefinition.ts';
import './batch/job.ts';
import './certificates/certificatesigningrequest.ts';
import './core/event.ts';
import './core/namespace.ts';
import './core/pending-status.ts';
import './core/pod.ts';
import './core/replicationcontroller.ts';
import './core/secret.ts';
import './core/service.ts';
import './core/serviceaccount.ts';
