/**
 * The handler chain's composition (runtime/server/filter-chain.ts) keeps Hono's compose semantics the filters were
 * written against: a failure becomes the response at the level that failed (c.error set) and outer filters see their
 * `next()` resolve; a filter's returned Response is the answer; plain filters pass their `next()` through.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { assertChained, chainedRoutes, composeFilters, type Filter, type Routes } from '../../runtime/server/filter-chain.ts';
import type { Env } from '../../runtime/server/filters.ts';

function app(filters: Filter[]): Hono<Env> & { chained: Routes } {
  const a = new Hono<Env>();
  const onError = (err: Error, c: import('hono').Context<Env>) => c.text(`error: ${err.message}`, 500);
  a.onError(onError);
  const routes = chainedRoutes(a, composeFilters(filters, onError), (c) => c.text('not found', 404));
  routes.get('/ok', (c) => c.text('ok'));
  routes.get('/throws', () => {
    throw new Error('handler failed');
  });
  return Object.assign(a, { chained: routes });
}

test('filters run in order around the route; plain filters pass next() through', async () => {
  const seen: string[] = [];
  const a = app([
    (c, next) => (seen.push('plain'), next()),
    async (c, next) => {
      seen.push('async before');
      await next();
      seen.push(`async after ${c.res.status}`);
    },
  ]);
  const res = await a.request('/ok');
  assert.equal(await res.text(), 'ok');
  assert.deepEqual(seen, ['plain', 'async before', 'async after 200']);
});

test('a filter that answers stops the chain; its Response is the answer, at once or awaited', async () => {
  for (const answer of [(c: import('hono').Context<Env>) => c.text('no', 429), async (c: import('hono').Context<Env>) => c.text('no', 429)]) {
    let reached = false;
    const a = app([(c) => answer(c), (c, next) => ((reached = true), next())]);
    const res = await a.request('/ok');
    assert.equal(res.status, 429);
    assert.equal(reached, false);
  }
});

test('a failure becomes the response where it happens: outer filters see next() resolve, with c.error set', async () => {
  const outer: string[] = [];
  const watch: Filter = async (c, next) => {
    await next();
    outer.push(`${c.res.status} ${c.error?.message}`);
  };
  const a = app([
    watch,
    (c, next) => {
      if (c.req.path === '/sync') throw new Error('sync filter failed');
      return next();
    },
    async (c, next) => {
      if (c.req.path === '/async') throw new Error('async filter failed');
      return next();
    },
  ]);
  for (const path of ['/sync', '/async', '/throws']) {
    const res = await a.request(path);
    assert.equal(res.status, 500);
  }
  assert.deepEqual(outer, ['500 sync filter failed', '500 async filter failed', '500 handler failed']);
});

test('headers a filter prepares reach every later response: built by respond, by Hono, by a handler, or by the error handler', async () => {
  const { prepareHeader, respond } = await import('../../runtime/server/response-headers.ts');
  const a = app([
    (c, next) => (prepareHeader(c, 'Audit-Id', 'a-1'), prepareHeader(c, 'X-Kubernetes-PF-FlowSchema-UID', 'fs'), next()),
  ]);
  a.chained.get('/respond', (c) => respond(c, 'x', 200, { 'Content-Type': 'text/plain', 'Audit-Id': 'the handler wins' }));
  a.chained.get('/own', () => new Response('own', { headers: { 'Content-Type': 'text/plain' } }));
  for (const [path, auditID] of [['/ok', 'a-1'], ['/own', 'a-1'], ['/throws', 'a-1'], ['/respond', 'the handler wins'], ['/nowhere', 'a-1']]) {
    const res = await a.request(path);
    assert.equal(res.headers.get('audit-id'), auditID, path);
    assert.equal(res.headers.get('x-kubernetes-pf-flowschema-uid'), 'fs', path);
  }
  // Before the filter prepared it, nothing: a filter that answers first sends none.
  const early = app([(c) => c.text('early', 429), (c, next) => (prepareHeader(c, 'Audit-Id', 'late'), next())]);
  assert.equal((await early.request('/ok')).headers.get('audit-id'), null);
});

test('every route and the not-found answer run behind the filters; a route registered around them is refused', async () => {
  const seen: string[] = [];
  const a = app([(c, next) => (seen.push(c.req.path), next())]);
  assert.equal((await a.request('/ok')).status, 200);
  assert.equal((await a.request('/nowhere')).status, 404);
  assert.deepEqual(seen, ['/ok', '/nowhere']);
  assertChained(a);
  const bare = app([]);
  bare.get('/bare', (c) => c.text('no filters'));
  assert.throws(() => assertChained(bare), /GET \/bare is not behind the handler chain/);
});
