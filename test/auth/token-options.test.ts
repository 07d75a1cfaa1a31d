/**
 * The service-account, OIDC and webhook token flags: upstream's names and defaults, repeatable flags, and every
 * problem reported together.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOptions } from '../../runtime/server/options.ts';

describe('token authentication flags', () => {
  it('defaults to kubeadm’s issuer, audiences from the issuers, lookup and extension on, webhook v1beta1 for 2m', () => {
    const o = parseOptions([]).tokenAuth;
    assert.deepEqual(o.serviceAccounts, {
      keyFiles: [],
      signingKeyFile: undefined,
      issuers: ['https://kubernetes.default.svc.cluster.local'],
      jwksURI: undefined,
      apiAudiences: ['https://kubernetes.default.svc.cluster.local'],
      maxTokenExpirationSeconds: 0,
      extendTokenExpiration: true,
      lookup: true,
    });
    assert.equal(o.oidc, undefined);
    assert.equal(o.webhook, undefined);
  });

  it('reads repeatable and list flags', () => {
    const o = parseOptions([
      '--service-account-key-file', 'a.pem', '--service-account-key-file', 'b.pem',
      '--service-account-issuer', 'https://one', '--service-account-issuer', 'https://two',
      '--api-audiences', 'x,y', '--api-audiences', 'z',
      '--service-account-max-token-expiration', '48h',
      '--oidc-issuer-url', 'https://idp', '--oidc-client-id', 'kube',
      '--oidc-required-claim', 'hd=example.com', '--oidc-required-claim', 'tier=gold,team=a',
      '--oidc-signing-algs', 'RS256,ES256',
      '--authentication-token-webhook-config-file', 'hook.yaml', '--authentication-token-webhook-cache-ttl', '30s', '--authentication-token-webhook-version', 'v1',
    ]).tokenAuth;
    assert.deepEqual(o.serviceAccounts.keyFiles, ['a.pem', 'b.pem']);
    assert.deepEqual(o.serviceAccounts.issuers, ['https://one', 'https://two']);
    assert.deepEqual(o.serviceAccounts.apiAudiences, ['x', 'y', 'z']);
    assert.equal(o.serviceAccounts.maxTokenExpirationSeconds, 48 * 3600);
    assert.deepEqual(o.oidc, {
      issuerURL: 'https://idp',
      clientID: 'kube',
      usernameClaim: 'sub',
      usernamePrefix: undefined,
      groupsClaim: undefined,
      groupsPrefix: undefined,
      caFile: undefined,
      requiredClaims: { hd: 'example.com', tier: 'gold', team: 'a' },
      signingAlgs: ['RS256', 'ES256'],
    });
    assert.deepEqual(o.webhook, { configFile: 'hook.yaml', cacheTTLSeconds: 30, version: 'v1' });
  });

  it('reports every bad flag at once', () => {
    assert.throws(
      () => parseOptions(['--oidc-issuer-url', 'http://idp', '--oidc-signing-algs', 'HS256', '--service-account-max-token-expiration', '10m', '--authentication-token-webhook-version', 'v2', '--service-account-issuer', 'https://[bad']),
      (e: Error) => {
        for (const part of [
          '--oidc-issuer-url and --oidc-client-id must be given together',
          'must use the https scheme',
          'unsupported signing alg "HS256"',
          '--service-account-max-token-expiration must be between 1 hour and 2^32 seconds',
          '--authentication-token-webhook-version "v2" must be v1 or v1beta1',
          `--service-account-issuer "https://[bad" contained a ':' but was not a valid URL`,
        ]) assert.ok(e.message.includes(part), `${part} in ${e.message}`);
        return true;
      },
    );
  });
});
