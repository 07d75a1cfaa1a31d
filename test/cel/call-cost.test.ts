import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthorizationSession, AuthorizerValue, compile, evaluate, evaluateAsync } from '../../runtime/cel/index.ts';

/** What evaluating an expression costs, as a cost-limited run reports it. */
function cost(expression: string): number {
  const c = compile(expression, { variables: {}, environment: 'NewExpressions' });
  if (c.error !== undefined) throw new Error(c.error);
  const r = evaluate(c.program, {});
  if (r.error !== undefined) throw new Error(`${expression}: ${r.error}`);
  return r.cost;
}

// The runtime costs of apiserver v0.32.0 pkg/cel/library/cost_test.go (TestQuantityCost, TestURLsCost, TestIPCost,
// TestIPIsCanonicalCost, TestCIDRCost, TestStringLibrary, TestIndexOfCost on a string, TestNameFormatCost): the rows
// made of calls and literals only (list literals and variable reads are not charged here yet).
const rows: Array<[string, number]> = [
  ['quantity("12Mi")', 1], ['isQuantity("20")', 1], ['isQuantity("20M")', 1],
  ['quantity("200M") == quantity("200M")', 3],
  ['quantity("200M") == quantity("0.2G") && quantity("0.2G") == quantity("200M")', 6],
  ['quantity("2M") == quantity("0.002G") && quantity("2000k") == quantity("2M") && quantity("0.002G") == quantity("2000k")', 9],
  ['quantity("50M").isLessThan(quantity("50Mi"))', 3], ['quantity("50Mi").isGreaterThan(quantity("50M"))', 3],
  ['quantity("200M").compareTo(quantity("0.2G")) > 0', 4],
  ['quantity("50k").add(quantity("20")) == quantity("50.02k")', 5],
  ['quantity("50k").sub(quantity("20")) == quantity("49.98k")', 5],
  ['quantity("50k").sub(20) == quantity("49980")', 4],
  ['quantity("50k").add(20).sub(quantity("100k")).asInteger() > 0', 6],
  ['quantity("50k").add(20).sub(quantity("100k")).sub(-50000).asInteger() > 0', 7],
  ['quantity("50k").asInteger() > 0', 3], ['quantity("50").isInteger()', 2], ['quantity("50.703k").asApproximateFloat() > 0.0', 3],
  // 'https:://kubernetes.io/' is an opaque URL to Go's url.ParseRequestURI: it parses.
  ...['.getScheme()', '.getHostname()', '.getHost()', '.getPort()', '.getEscapedPath()', '.getQuery()'].map((op): [string, number] => ["url('https:://kubernetes.io/')" + op, 4]),
  ["url('https:://kubernetes.io/') == url('https:://kubernetes.io/')", 7],
  ["url('https:://kubernetes.io/') == url('http://x.b')", 5],
  ["ip('192.168.0.1')", 2], ["ip('2001:db8:3333:4444:5555:6666:7777:8888')", 4],
  ...['.family()', '.isUnspecified()', '.isLoopback()', '.isLinkLocalMulticast()', '.isLinkLocalUnicast()', '.isGlobalUnicast()'].flatMap((op): Array<[string, number]> => [["ip('192.168.0.1')" + op, 3], ["ip('2001:db8:3333:4444:5555:6666:7777:8888')" + op, 5]]),
  ["ip('192.168.0.1') == ip('192.168.0.1')", 5], ["ip('2001:db8:3333:4444:5555:6666:7777:8888') == ip('192.168.0.1')", 7],
  ["ip.isCanonical('192.168.0.1')", 3], ["ip.isCanonical('2001:db8:3333:4444:5555:6666:7777:8888')", 8], ["ip.isCanonical('2001:db8::abcd')", 3],
  ["cidr('192.168.0.0/16')", 2], ["cidr('2001:db8::/32')", 2],
  ...['.ip()', '.prefixLength()', '.masked()'].flatMap((op): Array<[string, number]> => [["cidr('192.168.0.0/16')" + op, 3], ["cidr('2001:db8::/32')" + op, 3]]),
  ["cidr('192.168.0.0/16') == cidr('2001:db8::/32')", 5], ["cidr('2001:db8::/32') == cidr('2001:db8::/32')", 5],
  ["cidr('192.168.0.0/16').containsCIDR(cidr('192.0.0.0/30'))", 7], ["cidr('192.168.0.0/16').containsCIDR(cidr('192.168.0.0/16'))", 7],
  ["cidr('192.168.0.0/16').containsCIDR('192.0.0.0/30')", 7], ["cidr('192.168.0.0/16').containsCIDR('192.168.0.0/16')", 7],
  ["cidr('192.168.0.0/16').containsIP(ip('192.0.0.1'))", 4], ["cidr('192.168.0.0/16').containsIP(ip('192.169.0.1'))", 5],
  ["cidr('192.168.0.0/16').containsIP(ip('192.169.169.250'))", 5], ["cidr('192.168.0.0/16').containsIP('192.0.0.1')", 4],
  ["cidr('192.168.0.0/16').containsIP('192.169.0.1')", 5],
  ["cidr('2001:db8::/32').containsCIDR(cidr('2001:db8::/126'))", 7], ["cidr('2001:db8::/32').containsCIDR(cidr('2001:db8::/32'))", 7],
  ["cidr('2001:db8::/32').containsCIDR('2001:db8::/126')", 7], ["cidr('2001:db8::/32').containsCIDR('2001:db8::/32')", 7],
  ["cidr('2001:db8::/32').containsIP(ip('2001:db8:3333:4444:5555:6666:7777:8888'))", 7], ["cidr('2001:db8::/32').containsIP(ip('2001:db8::1'))", 5],
  ["cidr('2001:db8::/32').containsIP('2001:db8:3333:4444:5555:6666:7777:8888')", 7], ["cidr('2001:db8::/32').containsIP('2001:db8::1')", 5],
  ["'ABCDEFGHIJ abcdefghij'.lowerAscii()", 3], ["'ABCDEFGHIJ abcdefghij'.lowerAscii() == 'abcdefghij ABCDEFGHIJ'.lowerAscii()", 9],
  ["'ABCDEFGHIJ abcdefghij'.upperAscii()", 3], ["'ABCDEFGHIJ abcdefghij'.upperAscii() == 'abcdefghij ABCDEFGHIJ'.upperAscii()", 9],
  ["strings.quote('ABCDEFGHIJ abcdefghij')", 3], ["strings.quote('ABCDEFGHIJ abcdefghij') == strings.quote('ABCDEFGHIJ abcdefghij')", 9],
  ["'abc 123 def 123'.replace('123', '456')", 3], ["'abc 123 def 123'.replace('', 'x')", 3], ["'abc 123 def 123'.replace('123', '')", 3],
  ["'abc 123 def 123'.replace('123', '456', 1)", 3], ["'abc 123 def 123'.split(' ')", 3], ["'abc 123 def 123'.split(' ', 1)", 3],
  ["'abc 123 def 123'.substring(5)", 2], ["'abc 123 def 123'.substring(5, 8)", 2], ["'  abc 123 def 123  '.trim()", 2],
  ["'abc 123 def 123'.find('123')", 2], ["'abc 123 def 123'.findAll('123')", 2], ["'abc 123 def 123'.findAll('123', 1)", 2],
  ["'01234567890123456789012345678901234567890123456789'.indexOf('123')", 5], ["'01234567890123456789012345678901234567890123456789'.lastIndexOf('123')", 5],
  ['format.named("dns1123subdomain")', 1],
  ['format.named("dns1123Subdomain").value().validate("my-name")', 17],
];

describe('CEL run-time cost as upstream', () => {
  it('charges each library call what upstream charges', () => {
    const wrong = rows.filter(([e, want]) => cost(e) !== want).map(([e, want]) => `${e}: ${cost(e)}, upstream ${want}`);
    assert.deepEqual(wrong, []);
  });

  it('stops an expression at the limit upstream stops it', () => {
    const c = compile('quantity("50k").add(quantity("20")) == quantity("50.02k")', { variables: {} });
    assert.equal(c.error, undefined);
    assert.equal(evaluate(c.program!, {}, { costLimit: 5 }).value, true);
    assert.equal(evaluate(c.program!, {}, { costLimit: 4 }).error, 'operation cancelled: actual cost limit exceeded');
  });

  it('charges each read of a variable 1, and nothing for what cel-go folds into a constant', () => {
    // apiextensions-apiserver v0.32.0 schema/cel validation_test.go: rules run with Kubernetes' OptOptimize, so
    // literals, lists of them and conversions of them cost nothing ("[1,2,3,4].isSorted()" costs 4).
    const folded: Array<[string, number]> = [
      ['[1,2,3,4].isSorted()', 4],
      ["url('https:://kubernetes.io/').getHostname() != 'test'", 4],
      ["size('abc 123 def 123'.split(' ')) > 0", 5],
      ["size(['aa', 'bb', 'cc', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join(' ')) > 0", 7],
      ["duration('1h') > duration('1m')", 1],
      ["'a' in ['a', 'b', 'c']", 0],
    ];
    assert.deepEqual(folded.map(([e]) => [e, cost(e)]), folded);
    const c = compile('self.a == 1 && oldSelf.a == 1', { variables: { self: 'dyn', oldSelf: 'dyn' } });
    assert.equal(evaluate(c.program!, { self: { a: 1 }, oldSelf: { a: 1 } }).cost, 6);
  });

  it("charges the authorizer's reads and calls as upstream's TestAuthzLibrary", async () => {
    const session = new AuthorizationSession(async () => ({ decision: 'allow' }));
    const authorizer = new AuthorizerValue(session, { name: 'alice', groups: [] });
    const rows: Array<[string, number]> = [
      ["authorizer.path('/healthz')", 2],
      ["authorizer.group('apps').resource('deployments').subresource('status').namespace('test').name('backend')", 6],
      ["authorizer.group('').resource('pods').fieldSelector('spec.nodeName=example-node-name.fully.qualified.domain.name.example.com')", 1821],
      ["authorizer.path('/healthz').check('get').allowed()", 350003],
      ["authorizer.group('apps').resource('deployments').subresource('status').namespace('test').name('backend').check('create').allowed()", 350007],
    ];
    const got: Array<[string, number]> = [];
    for (const [e] of rows) {
      const c = compile(e, { variables: { authorizer: 'kubernetes.authorization.Authorizer' } });
      assert.equal(c.error, undefined, c.error);
      got.push([e, (await evaluateAsync(c.program!, { authorizer }, { session, costLimit: 10_000_000 })).cost]);
    }
    assert.deepEqual(got, rows);
  });

  it('charges string equality by the shorter operand, as cel-go', () => {
    assert.equal(cost("'' == 'abc'"), 0);
    assert.equal(cost("'0123456789abcdefghij' == '0123456789abcdefghij'"), 2);
    assert.equal(cost("'ab' + 'cdefghijklmnopqrstu'"), 3);
    assert.equal(cost("'0123456789abcdefghij'.contains('0123456789a')"), 4);
    assert.equal(cost("'0123456789abcdefghij'.matches('^[0-9a-j]+$')"), 9);
  });
});
