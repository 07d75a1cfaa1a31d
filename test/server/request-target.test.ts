/**
 * The request-info filter reads a request's path and query from its URL without a URL object
 * (runtime/server/request-target.ts): both must be what WHATWG URL gives for the URLs requests carry, which
 * @hono/node-server and Request have already put in normal form (percent escapes kept in the path, repeated and
 * `+`-encoded query keys, a fragment that is no part of either).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestTarget } from '../../runtime/server/request-target.ts';

const targets = [
  '/api/v1/namespaces/default/pods/p',
  '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb%2Ctier+in+(a%2Cb)&limit=500&watch=1',
  '/api/v1/namespaces/a%2Fb/configmaps/c%20d',
  '/apis/apps/v1/deployments?fieldSelector=metadata.name%3Dx&fieldSelector=metadata.namespace%3Dy',
  '/api/v1/pods?x=1&x=2&x=&y',
  '/api/v1/pods?',
  '/api/v1/pods?a=1#frag?b=2',
  '/api/v1/pods#frag?b=2',
  '/api/v1/pods?a=%zz&b=caf%C3%A9',
  '/',
  '',
  // Targets node-server sends through new URL(...).href first: dot segments, characters URL escapes.
  '/api/v1/../v1/./namespaces/x/pods',
  '/api/v1/namespaces/x/pods/ü?q="a b"&r=<>',
  '/apis/[group]/v1/{x}?k=`v`',
];

for (const base of ['http://localhost', 'https://[::1]:6443', 'https://10.0.0.1:443']) {
  test(`path and query are WHATWG URL's pathname and searchParams (${base})`, () => {
    for (const target of targets) {
      // The URL a request carries is an href (a Request's url, or node-server's new URL(...).href).
      const href = new Request(base + target).url;
      const url = new URL(href);
      const got = requestTarget(href);
      assert.equal(got.path, url.pathname, href);
      assert.deepEqual([...got.query], [...url.searchParams], href);
    }
  });
}

test('a target in plain characters is read as it is, as node-server passes it on', () => {
  const got = requestTarget("http://h/api/v1/pods/a'b?x=1&x=2+3&y=a%3Db#f");
  assert.equal(got.path, "/api/v1/pods/a'b");
  assert.deepEqual(got.query.getAll('x'), ['1', '2 3']);
  assert.equal(got.query.get('y'), 'a=b');
});
