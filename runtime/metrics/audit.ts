/** Audit metrics: events handed to the audit backends (apiserver_audit_event_total). */
import { fastCounter } from './fast.ts';

export const auditEventTotal = fastCounter('apiserver_audit_event_total', 'Counter of audit events generated and sent to the audit backend.');
