/**
 * kube-apiserver v1.32's --emulated-version (k8s.io/component-base v0.32: featuregate/registry.go's toVersionMap and
 * Set, version/version.go's Validate): `[component=]major.minor`, kube the only component, 1.31 or 1.32; the
 * compatibility version CEL's new expressions follow stays 1.31 (the flag sets only the emulation version in v1.32).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseOptions } from '../../runtime/server/options.ts';
import { startServer, type TestServer } from '../support/server.ts';


function optionError(args: string[]): string {
  try {
    parseOptions(args);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('--emulated-version', () => {
  it('defaults to the binary version, compatible with one minor back', () => {
    const v = parseOptions([]).version;
    assert.deepEqual([v.emulation, v.minCompatibility], [{ major: 1, minor: 32 }, { major: 1, minor: 31 }]);
  });

  it('accepts 1.31 and 1.32, for kube or without a component, in the forms version.Parse reads', () => {
    for (const value of ['1.31', 'kube=1.31', 'kube=v1.31.0', ' kube = 1.31 ', '1.31.0-alpha.1']) {
      const v = parseOptions(['--emulated-version', value]).version;
      assert.deepEqual([v.emulation, v.minCompatibility], [{ major: 1, minor: 31 }, { major: 1, minor: 31 }], value);
    }
    assert.deepEqual(parseOptions(['--emulated-version=kube=1.32']).version.emulation, { major: 1, minor: 32 });
  });

  it("refuses what upstream refuses, with upstream's words", () => {
    const cases: Array<[string[], string]> = [
      [['--emulated-version', '1.30'], 'emulation version 1.30 is not between [1.31, 1.32.0]'],
      [['--emulated-version', 'kube=1.33'], 'emulation version 1.33 is not between [1.31, 1.32.0]'],
      [['--emulated-version', '2.0'], 'emulation version 2.0 is not between [1.31, 1.32.0]'],
      [['--emulated-version', '1.31.1'], 'patch version not allowed, got: kube=1.31.1'],
      [['--emulated-version', 'wardle=1.2'], 'component not registered: wardle'],
      [['--emulated-version', 'kube=1.31,kube=1.32'], 'duplicate version flag, kube=1.31 and kube=1.32'],
      [['--emulated-version', '1.31', '--emulated-version', '1.32'], 'duplicate version flag, kube=1.31 and kube=1.32'],
      [['--emulated-version', 'abc'], 'could not parse "abc" as version'],
      [['--emulated-version', '1'], 'illegal version string "1"'],
      [['--emulated-version', '01.31'], 'illegal zero-prefixed version component "01" in "01.31"'],
    ];
    for (const [args, message] of cases) assert.equal(optionError(args), `invalid options:\n  --emulated-version: ${message}`, args.join(' '));
  });
});

describe('a server started with --emulated-version=1.31', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ['--emulated-version=1.31'] });
  });
  after(async () => {
    await server?.stop();
  });

  it('names 1.31 in the OpenAPI documents and keeps its own version in /version', async () => {
    // k8s.io/apiserver v0.32.0 pkg/server/config.go: the documents' info.version is the emulation version
    // (completeOpenAPI, completeOpenAPIV3); /version is the binary's (routes.Version with BinaryVersion().Info()).
    for (const path of ['/openapi/v2', '/openapi/v3/apis/apps/v1']) {
      const r = await server.request('GET', path);
      assert.equal(r.status, 200, path);
      assert.deepEqual(r.json.info, { title: 'Kubernetes', version: '1.31' }, path);
    }
    const v = await server.request('GET', '/version');
    assert.deepEqual([v.json.major, v.json.minor], ['1', '32']);
    assert.match(v.json.gitVersion, /^v1\.32\.0/);
  });
});
