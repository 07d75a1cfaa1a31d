/**
 * The Kubernetes ip and cidr CEL libraries' refusals, worded as upstream's (library/ip.go, cidr.go): Go's %q quotes
 * the text, so an invisible character in it is escaped, and netip.ParsePrefix's reasons follow.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile, evaluate } from '../../runtime/cel/index.ts';

function evalError(expression: string, self: unknown): string | undefined {
  const r = compile(expression, { variables: { self: 'dyn' } });
  assert.equal(r.error, undefined, r.error);
  return evaluate(r.program!, { self }).error;
}

describe('CEL ip and cidr libraries: refusals', () => {
  it("quotes the text as Go's %q does", () => {
    assert.match(evalError('cidr(self.c)', { c: '10.0.0.0/8\u200b' }) ?? '', /netip\.ParsePrefix\("10\.0\.0\.0\/8\\u200b"\): bad bits after slash: "8\\u200b"/);
    // netip's parseIPv4Fields refuses the first byte that is neither a digit nor a dot, and quotes the rest.
    assert.match(evalError('ip(self.c)', { c: '10.0.0.\u200b1' }) ?? '', /IP Address "10\.0\.0\.\\u200b1" parse error during conversion from string: ParseAddr\("10\.0\.0\.\\u200b1"\): unexpected character \(at "\\u200b1"\)/);
  });

  it("gives netip.ParseAddr's reasons for IPv4 text (apiserver v0.32.0 pkg/cel/library/ip_test.go)", () => {
    assert.equal(evalError('ip(self.c)', { c: '192.168.0.1.0' }), 'IP Address "192.168.0.1.0" parse error during conversion from string: ParseAddr("192.168.0.1.0"): IPv4 address too long');
    assert.match(evalError('ip(self.c)', { c: '1.2.3' }) ?? '', /ParseAddr\("1\.2\.3"\): IPv4 address too short$/);
    assert.match(evalError('ip(self.c)', { c: '1..2.3' }) ?? '', /ParseAddr\("1\.\.2\.3"\): IPv4 field must have at least one digit \(at "\.2\.3"\)$/);
  });

  it("gives netip.ParsePrefix's reasons", () => {
    assert.match(evalError('cidr(self.c)', { c: '10.0.0.0' }) ?? '', /netip\.ParsePrefix\("10\.0\.0\.0"\): no '\/'/);
    assert.match(evalError('cidr(self.c)', { c: '10.0.0.0/08' }) ?? '', /bad bits after slash: "08"/);
    assert.match(evalError('cidr(self.c)', { c: '10.0.0.0/33' }) ?? '', /bad bits after slash: "33"/);
    assert.match(evalError('cidr(self.c)', { c: 'fe80::1%eth0/64' }) ?? '', /IPv6 zones cannot be present in a prefix/);
    assert.match(evalError('cidr(self.c)', { c: '010.0.0.0/8' }) ?? '', /ParseAddr\("010\.0\.0\.0"\): IPv4 field has octet with leading zero/);
    assert.match(evalError('cidr(self.c)', { c: '::ffff:10.0.0.0/104' }) ?? '', /IPv4-mapped IPv6 address "::ffff:10\.0\.0\.0\/104" is not allowed/);
    assert.equal(evalError("cidr(self.c).ip() == ip('10.1.2.3') && cidr(self.c).prefixLength() == 8", { c: '10.1.2.3/8' }), undefined);
  });
});
