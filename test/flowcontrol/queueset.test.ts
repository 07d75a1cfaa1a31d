/**
 * The pieces of API Priority and Fairness that are plain algorithms, checked directly: shuffle-sharding hands,
 * fair dispatch between queues, the queue limits, the work estimate of lists, and the borrowing allocation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allocateConcurrency } from '../../runtime/flowcontrol/borrowing.ts';
import { Classifier } from '../../runtime/flowcontrol/classifier.ts';
import { mandatoryFlowSchemas, suggestedFlowSchemas } from '../../runtime/flowcontrol/bootstrap.ts';
import { dealHand, hashFlow, QueueSet, type Ticket } from '../../runtime/flowcontrol/queueset.ts';
import { estimateSeats } from '../../runtime/flowcontrol/work-estimator.ts';
import { DroppedRequests } from '../../runtime/flowcontrol/dropped-requests.ts';
import { requestInfo } from '../../runtime/endpoints/request-info.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('shuffle sharding', () => {
  it('deals handSize distinct queues of the deck, the same hand for the same flow', () => {
    for (let i = 0; i < 2000; i++) {
      const hand = dealHand(hashFlow(`flow-${i}`), 64, 8);
      assert.equal(new Set(hand).size, 8);
      for (const card of hand) assert.ok(card >= 0 && card < 64);
    }
    assert.deepEqual(dealHand(hashFlow('a'), 128, 6), dealHand(hashFlow('a'), 128, 6));
    assert.notDeepEqual(dealHand(hashFlow('a'), 128, 6), dealHand(hashFlow('b'), 128, 6));
  });
});

describe('QueueSet', () => {
  it('serves a newly arrived flow before the backlog of a busy one', async () => {
    const qs = new QueueSet({ concurrencyLimit: 1, queues: 64, handSize: 1, queueLengthLimit: 50 }, 10_000);
    const order: string[] = [];
    const first = qs.acquire('busy', 1) as Ticket;
    const waiting = [1, 2, 3, 4].map((i) => Promise.resolve(qs.acquire('busy', 1)).then((t) => (order.push(`busy-${i}`), t as Ticket)));
    await sleep(20);
    const quiet = Promise.resolve(qs.acquire('quiet', 1)).then((t) => (order.push('quiet'), t as Ticket));
    await sleep(20);
    first.finish();
    // Each granted request finishes at once, letting the next one in.
    for (const p of [...waiting, quiet]) void p.then((t) => setTimeout(() => t.finish(), 1));
    await Promise.all([...waiting, quiet]);
    assert.equal(order[0], 'quiet', `dispatch order: ${order.join(', ')}`);
    assert.deepEqual(order.slice(1), ['busy-1', 'busy-2', 'busy-3', 'busy-4'], 'one flow keeps its own order');
  });

  it('rejects beyond the queue length limit, and after the wait limit', async () => {
    const qs = new QueueSet({ concurrencyLimit: 1, queues: 1, handSize: 1, queueLengthLimit: 2 }, 50);
    const running = qs.acquire('f', 1) as Ticket;
    const queued = [qs.acquire('f', 1), qs.acquire('f', 1)];
    assert.equal(qs.acquire('f', 1), 'queue-full');
    assert.deepEqual(await Promise.all(queued), ['time-out', 'time-out']);
    running.finish();
    const rejectLevel = new QueueSet({ concurrencyLimit: 1, queues: 0, handSize: 0, queueLengthLimit: 0 }, 50);
    const only = rejectLevel.acquire('f', 1) as Ticket;
    assert.equal(rejectLevel.acquire('f', 1), 'concurrency-limit');
    only.finish();
    assert.equal(typeof rejectLevel.acquire('f', 1), 'object');
  });

  it('lets a request wider than the whole limit run alone rather than never', async () => {
    const qs = new QueueSet({ concurrencyLimit: 2, queues: 4, handSize: 1, queueLengthLimit: 5 }, 1000);
    const small = qs.acquire('a', 1) as Ticket;
    const wide = qs.acquire('b', 5);
    assert.ok(wide instanceof Promise);
    small.finish();
    const t = await wide;
    assert.equal(typeof t, 'object');
    assert.equal(qs.seatsInUse, 5);
    (t as Ticket).finish();
    assert.equal(qs.seatsInUse, 0);
  });
});

describe('work estimate', () => {
  const list = (query = '') => ({ info: requestInfo('GET', '/api/v1/configmaps', new URLSearchParams(query)), query: new URLSearchParams(query) });
  it('gives a list one seat per 100 objects, between 1 and 10, and everything else one seat', () => {
    const count = (n: number) => () => n;
    assert.equal(estimateSeats(list().info, list().query, count(50)), 1);
    assert.equal(estimateSeats(list().info, list().query, count(450)), 5);
    assert.equal(estimateSeats(list().info, list().query, count(100_000)), 10);
    assert.equal(estimateSeats(list().info, list().query, () => undefined), 1);
    const page = list('limit=50&continue=abc');
    assert.equal(estimateSeats(page.info, page.query, count(100_000)), 1, 'a continued page of 50 reads about 100');
    const get = requestInfo('GET', '/api/v1/namespaces/a/configmaps/x', new URLSearchParams());
    assert.equal(estimateSeats(get, undefined, count(100_000)), 1);
  });
});

describe('classification', () => {
  const c = new Classifier([...mandatoryFlowSchemas, ...suggestedFlowSchemas]);
  const get = (path: string, method = 'GET') => requestInfo(method, path, new URLSearchParams());
  const schema = (user: { name: string; groups: string[] }, path: string, method = 'GET') => c.classify(user, get(path, method))?.schema.name;
  it('follows upstream\'s built-in schemas by precedence', () => {
    assert.equal(schema({ name: 'admin', groups: ['system:masters', 'system:authenticated'] }, '/api/v1/pods'), 'exempt');
    assert.equal(schema({ name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] }, '/api/v1/nodes/n1/status', 'PUT'), 'system-node-high');
    assert.equal(schema({ name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] }, '/api/v1/namespaces/a/pods'), 'system-nodes');
    assert.equal(schema({ name: 'system:kube-controller-manager', groups: ['system:authenticated'] }, '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/x', 'PUT'), 'system-leader-election');
    assert.equal(schema({ name: 'system:serviceaccount:kube-system:foo', groups: ['system:serviceaccounts', 'system:authenticated'] }, '/api/v1/namespaces/a/pods'), 'kube-system-service-accounts');
    assert.equal(schema({ name: 'system:serviceaccount:apps:foo', groups: ['system:serviceaccounts', 'system:authenticated'] }, '/api/v1/namespaces/a/pods'), 'service-accounts');
    assert.equal(schema({ name: 'bob', groups: ['system:authenticated'] }, '/readyz'), 'probes');
    assert.equal(schema({ name: 'bob', groups: ['system:authenticated'] }, '/api/v1/namespaces/a/pods'), 'global-default');
    assert.equal(schema({ name: 'nobody', groups: [] }, '/api/v1/pods'), 'catch-all');
    const ns = c.classify({ name: 'system:kube-scheduler', groups: ['system:authenticated'] }, get('/api/v1/namespaces/team/pods'));
    assert.equal(ns?.schema.name, 'kube-scheduler');
    assert.equal(ns?.distinguisher, 'team', 'ByNamespace');
  });
  it('answers a request seen before from its cache only for the same user, groups and target', () => {
    const cached = new Classifier([...mandatoryFlowSchemas, ...suggestedFlowSchemas]);
    const twice = (user: { name: string; groups: string[] }, path: string, method = 'GET') => {
      const first = cached.classify(user, get(path, method));
      assert.equal(cached.classify(user, get(path, method)), first, 'the second answer is the cached one');
      return first?.schema.name;
    };
    // Groups in turn: one more group, or the same ones without the last, is another user.
    assert.equal(twice({ name: 'admin', groups: ['system:masters', 'system:authenticated'] }, '/api/v1/pods'), 'exempt');
    assert.equal(twice({ name: 'admin', groups: ['system:masters'] }, '/api/v1/pods'), 'exempt');
    assert.equal(twice({ name: 'admin', groups: ['system:authenticated'] }, '/api/v1/pods'), 'global-default');
    assert.equal(twice({ name: 'admin', groups: [] }, '/api/v1/pods'), 'catch-all');
    // The target's parts: a namespace, a subresource, a verb, a non-resource path of the same words.
    assert.equal(twice({ name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] }, '/api/v1/nodes/n1/status', 'PUT'), 'system-node-high');
    assert.equal(twice({ name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] }, '/api/v1/namespaces/a/pods'), 'system-nodes');
    assert.equal(twice({ name: 'bob', groups: ['system:authenticated'] }, '/readyz'), 'probes');
    assert.equal(twice({ name: 'bob', groups: ['system:authenticated'] }, '/api/v1/namespaces/a/pods'), 'global-default');
    const scheduler = { name: 'system:kube-scheduler', groups: ['system:authenticated'] };
    assert.equal(cached.classify(scheduler, get('/api/v1/namespaces/team/pods'))?.distinguisher, 'team');
    assert.equal(cached.classify(scheduler, get('/api/v1/namespaces/other/pods'))?.distinguisher, 'other');
  });
});

describe('borrowing allocation', () => {
  it('shares the total in proportion to the targets, within each level\'s bounds', () => {
    const a = allocateConcurrency(100, [
      { lowerBound: 10, upperBound: Infinity, target: 60 },
      { lowerBound: 10, upperBound: 20, target: 60 },
      { lowerBound: 30, upperBound: Infinity, target: 0 },
    ]);
    assert.ok(Math.abs(a.reduce((x, y) => x + y, 0) - 100) < 1e-6);
    assert.equal(a[1], 20);
    assert.equal(a[2], 30);
    assert.ok(Math.abs(a[0] - 50) < 1e-6);
    assert.deepEqual(allocateConcurrency(10, [{ lowerBound: 8, upperBound: 8, target: 100 }, { lowerBound: 5, upperBound: 9, target: 1 }]), [8, 5]);
  });
});

describe('Retry-After of a level that turns requests away', () => {
  it('starts at 1 s, doubles under sustained drops up to 32 s, and steps back by a second when they stop', () => {
    let now = 1_000_000_000;
    const drops = new DroppedRequests(() => now);
    const second = (n: number) => {
      for (let i = 0; i < n; i++) drops.record('busy');
      now += 1000;
    };
    second(10);
    assert.equal(drops.retryAfter('busy'), 1);
    let seen = 1;
    for (let i = 0; i < 40; i++) {
      second(200);
      seen = Math.max(seen, drops.retryAfter('busy'));
    }
    assert.equal(seen, 32);
    assert.equal(drops.retryAfter('other'), 1);
    // Quiet seconds with one drop each: it comes down again, a second at a time.
    const before = drops.retryAfter('busy');
    second(1);
    now += 40_000;
    second(1);
    assert.ok(drops.retryAfter('busy') < before);
  });
});
