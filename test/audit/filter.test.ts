// The audit filter in the handler chain, on a small Hono app with the real filters and a real log backend: an
// unexpected error is a Panic event, admission-style annotations reach the event, a forbidden request records
// the authorization decision.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import pino from 'pino';
import { Auditor, addAuditAnnotation } from '../../runtime/audit/index.ts';
import { LogBackend } from '../../runtime/audit/log-backend.ts';
import { policyEvaluator } from '../../runtime/audit/policy.ts';
import { toStatus, withAuthorization, withRequestInfo, withTimeout, type Env } from '../../runtime/server/filters.ts';
import { withAudit, withAuditID } from '../../runtime/server/audit-filters.ts';
import { withAuthentication } from '../../runtime/server/authn-filters.ts';
import { composeFilters, type Filter } from '../../runtime/server/filter-chain.ts';
import { AuthenticationError } from '../../runtime/auth/authentication/types.ts';
import type { ServerAuthentication } from '../../runtime/auth/authentication/build.ts';
import { eventually } from '../support/kubectl.ts';

const tmp = mkdtempSync(join(tmpdir(), 'kube-ts-audit-filter-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('panics, annotations and authorization decisions in the event', async () => {
  const log = pino({ level: 'silent' });
  const path = join(tmp, 'audit.log');
  const auditor = new Auditor(policyEvaluator({ rules: [{ level: 'Metadata' }] }), new LogBackend({ path, maxAgeDays: 0, maxBackups: 0, maxSizeMB: 0, bufferSize: 100, log }));
  const app = new Hono<Env>();
  const onError = (err: Error, c: Context<Env>) => c.json(toStatus(err, log), 500);
  app.onError(onError);
  // Composed as the server composes its chain: the chain puts the headers the filters prepared (Audit-Id) on responses
  // built outside them, as this error handler's.
  const setUser: Filter = async (c, next) => {
    c.set('user', { name: c.req.header('x-user') ?? 'alice', groups: ['system:authenticated'] });
    await next();
  };
  const authorizer = withAuthorization([{ authorize: async ({ user }) => (user.name === 'mallory' ? { decision: 'deny', reason: 'not today' } : { decision: 'allow', reason: 'test says yes' }) }]);
  const chain = composeFilters([withRequestInfo(), withAuditID(), setUser, withAudit(auditor), authorizer], onError);
  app.get('/api/v1/namespaces/:ns/pods', chain.around(() => {
    throw new TypeError('boom');
  }));
  app.post('/api/v1/namespaces/:ns/pods', chain.around(async (c) => {
    await new Promise((r) => setTimeout(r, 5));
    addAuditAnnotation('podsecurity.admission.k8s.io/enforce-policy', 'restricted:latest');
    addAuditAnnotation('podsecurity.admission.k8s.io/enforce-policy', 'ignored: the first value wins');
    return c.json({ kind: 'Pod' }, 201);
  }));

  const panic = await app.request('/api/v1/namespaces/default/pods', { headers: { 'Audit-ID': 'p1' } });
  assert.equal(panic.status, 500);
  assert.equal(panic.headers.get('audit-id'), 'p1');
  const created = await app.request('/api/v1/namespaces/default/pods', { method: 'POST', headers: { 'Audit-ID': 'c1' } });
  assert.equal(created.status, 201);
  const denied = await app.request('/api/v1/namespaces/default/pods', { method: 'POST', headers: { 'Audit-ID': 'd1', 'x-user': 'mallory' } });
  assert.equal(denied.status, 403);

  const events = () =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  await eventually(() => events().filter((e) => e.stage !== 'RequestReceived').length === 3, 'three finished events');
  await auditor.shutdown();
  const byID = (id: string) => events().filter((e) => e.auditID === id);

  assert.deepEqual(byID('p1').map((e) => e.stage), ['RequestReceived', 'Panic']);
  assert.deepEqual(byID('p1')[1].responseStatus, { metadata: {}, status: 'Failure', reason: 'InternalError', message: "APIServer panic'd: boom", code: 500 });

  const c1 = byID('c1')[1];
  assert.equal(c1.stage, 'ResponseComplete');
  assert.deepEqual(c1.annotations, {
    'authorization.k8s.io/decision': 'allow',
    'authorization.k8s.io/reason': 'test says yes',
    'podsecurity.admission.k8s.io/enforce-policy': 'restricted:latest',
  });

  const d1 = byID('d1')[1];
  assert.equal(d1.responseStatus.code, 403);
  assert.equal(d1.responseStatus.reason, 'Forbidden');
  assert.match(d1.responseStatus.message, /User "mallory" cannot create resource "pods"/);
  assert.deepEqual(d1.annotations, { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': 'not today' });
  assert.deepEqual(d1.user, { username: 'mallory', groups: ['system:authenticated'] });
});

test('a request that fails authentication is audited once, at ResponseStarted, without a user', async () => {
  const log = pino({ level: 'silent' });
  const path = join(tmp, 'authn.log');
  const auditor = new Auditor(policyEvaluator({ rules: [{ level: 'None', nonResourceURLs: ['/healthz'] }, { level: 'Request' }] }), new LogBackend({ path, maxAgeDays: 0, maxBackups: 0, maxSizeMB: 0, bufferSize: 100, log }));
  const app = new Hono<Env>();
  app.use('*', withRequestInfo());
  app.use('*', withAuditID(auditor));
  const nobody = {
    authenticate: async () => {
      throw new AuthenticationError('no credentials accepted');
    },
  } as unknown as ServerAuthentication;
  const authentication = withAuthentication(nobody);
  app.use('*', async (c, next) => authentication(c, next));
  app.use('*', withAudit(auditor));
  app.get('*', (c) => c.text('ok'));
  const res = await app.request('/api/v1/namespaces/default/secrets/s?access_token=abc', { headers: { Authorization: 'Bearer nope', 'Audit-ID': 'unauth-1' } });
  assert.equal(res.status, 401);
  assert.equal(res.headers.get('audit-id'), 'unauth-1');
  assert.equal((await app.request('/healthz')).status, 401);
  await auditor.shutdown();
  const events = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.equal(events.length, 1, 'the None rule still applies');
  const [ev] = events;
  assert.equal(ev.auditID, 'unauth-1');
  assert.equal(ev.stage, 'ResponseStarted');
  assert.equal(ev.level, 'Request');
  assert.deepEqual(ev.user, {});
  assert.deepEqual(ev.responseStatus, { metadata: {}, message: 'Authentication failed, attempted: bearer, access_token', code: 401 });
  assert.deepEqual(ev.objectRef, { resource: 'secrets', namespace: 'default', name: 's', apiVersion: 'v1' });
});

test('a request refused for its ?timeout= is audited once, at ResponseStarted, with the refusal', async () => {
  const log = pino({ level: 'silent' });
  const path = join(tmp, 'timeout.log');
  const auditor = new Auditor(policyEvaluator({ rules: [{ level: 'Metadata' }] }), new LogBackend({ path, maxAgeDays: 0, maxBackups: 0, maxSizeMB: 0, bufferSize: 100, log }));
  const app = new Hono<Env>();
  const anyone = { authenticate: async () => ({ user: { name: 'alice', groups: ['system:authenticated'] } }) } as unknown as ServerAuthentication;
  const chain = composeFilters([withRequestInfo(), withAuditID(auditor), withTimeout(60), withAuthentication(anyone), withAudit(auditor)], (err, c) => c.json(toStatus(err, log), 500));
  app.get('*', chain.around((c) => c.text('ok')));
  const res = await app.request('/api/v1/namespaces/default/configmaps?timeout=abc', { headers: { 'Audit-ID': 'bad-timeout-1' } });
  assert.equal(res.status, 400);
  await auditor.shutdown();
  const events = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.equal(events.length, 1);
  const [ev] = events;
  assert.equal(ev.auditID, 'bad-timeout-1');
  assert.equal(ev.stage, 'ResponseStarted');
  assert.deepEqual(ev.user, {});
  assert.deepEqual(ev.responseStatus, { metadata: {}, message: 'invalid timeout specified in the request URL - time: invalid duration "abc"', code: 400 });
  assert.deepEqual(ev.objectRef, { resource: 'configmaps', namespace: 'default', apiVersion: 'v1' });
});
