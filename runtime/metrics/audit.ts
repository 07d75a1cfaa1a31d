/** Audit metrics: events handed to the audit backends (apiserver_audit_event_total). */
import { counter } from './registry.ts';

export const auditEventTotal = counter('apiserver_audit_event_total', 'Counter of audit events generated and sent to the audit backend.');
