/**
 * Go's `%#v` as go-syntax.ts prints it, for the pieces that differ from JSON: nil against empty slices and maps, a
 * set pointer printed as an address, an embedded struct that JSON inlines, and the internal pod template
 * (apis/core/v1/go-internal-pod.ts) with its quantities and its v1-to-internal conversion.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goPodTemplateSpec, internalPodTemplateSpec } from '../../apis/core/v1/go-internal-pod.ts';
import { goInline, goInt, goInterface, goMap, goNamedInterface, goPointer, goSlice, goString, goStruct } from '../../runtime/machinery/go-syntax.ts';
import { goTypeName, goValue } from '../../runtime/machinery/gofmt.ts';

describe('go-syntax: %#v from JSON', () => {
  it('an absent slice or map is nil, an empty one is empty', () => {
    const strings = goSlice(goString());
    assert.equal(strings.print(undefined), '[]string(nil)');
    assert.equal(strings.print([]), '[]string{}');
    assert.equal(strings.print(['a', 'b']), '[]string{"a", "b"}');
    const labels = goMap(goString());
    assert.equal(labels.print(undefined), 'map[string]string(nil)');
    assert.equal(labels.print({}), 'map[string]string{}');
  });

  it('a pointer is nil or an address, never followed', () => {
    const p = goPointer('int64');
    assert.equal(p.print(undefined), '(*int64)(nil)');
    assert.equal(p.print(null), '(*int64)(nil)');
    assert.equal(p.print(0), '(*int64)(0xc000000000)');
    assert.equal(goPointer('core.Probe').print({ exec: {} }), '(*core.Probe)(0xc000000000)');
  });

  it('map keys are sorted; an inlined embedded struct reads the enclosing object and is named after its type', () => {
    assert.equal(goMap(goInt()).print({ b: 2, a: 1 }), 'map[string]int32{"a":1, "b":2}');
    const source = goStruct('core.Src', [['EmptyDir', goPointer('core.E')], ['NFS', goPointer('core.N'), 'nfs']]);
    const volume = goStruct('core.Volume', [['Name', goString()], ['Src', source, goInline]]);
    assert.equal(volume.print({ name: 'v', nfs: {} }), 'core.Volume{Name:"v", Src:core.Src{EmptyDir:(*core.E)(nil), NFS:(*core.N)(0xc000000000)}}');
  });

  it('a decoded JSON number is int64 while whole and within int64, float64 beyond (1e20 prints 1e+20)', () => {
    const values = goSlice(goInterface, '[]interface {}');
    assert.equal(values.print([1, 2.5, 1e20, 2 ** 63, -(2 ** 63), 9007199254740991]), '[]interface {}{1, 2.5, 1e+20, 9.223372036854776e+18, -9223372036854775808, 9007199254740991}');
    assert.equal(goValue(1e20), '1e+20');
    assert.deepEqual([goTypeName(1e20), goTypeName(12), goTypeName(0.5)], ['float64', 'int64', 'float64']);
  });

  it('nil in a slice of a named interface type prints with the type name (a CRD enum: apiextensions.JSON(nil))', () => {
    const enumValues = goSlice(goNamedInterface('apiextensions.JSON'), '[]apiextensions.JSON');
    assert.equal(enumValues.print(['a', null, 3]), '[]apiextensions.JSON{"a", apiextensions.JSON(nil), 3}');
    assert.equal(goSlice(goInterface, '[]interface {}').print([null]), '[]interface {}{interface {}(nil)}');
  });
});

describe('the internal pod template', () => {
  const printed = (template: object) => goPodTemplateSpec.print(internalPodTemplateSpec(template));

  it('prints a resource list as core.ResourceList of resource.Quantity structs, keys sorted', () => {
    const out = printed({ spec: { containers: [{ name: 'c', resources: { requests: { memory: '1Gi', cpu: '250m' } } }] } });
    assert.ok(
      out.includes(
        'Resources:core.ResourceRequirements{Limits:core.ResourceList(nil), Requests:core.ResourceList{' +
          '"cpu":resource.Quantity{i:resource.int64Amount{value:250, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"250m", Format:"DecimalSI"}, ' +
          '"memory":resource.Quantity{i:resource.int64Amount{value:1073741824, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1Gi", Format:"BinarySI"}}, ' +
          'Claims:[]core.ResourceClaim(nil)}',
      ),
      out,
    );
  });

  it('converts as upstream does: serviceAccount stands in for serviceAccountName, the security context is always set', () => {
    const out = printed({ spec: { serviceAccount: 'legacy', containers: [] } });
    assert.ok(out.includes('Containers:[]core.Container{}, '), out);
    assert.ok(out.includes('ServiceAccountName:"legacy", '), out);
    assert.ok(out.includes('SecurityContext:(*core.PodSecurityContext)(0xc000000000), '), out);
    assert.ok(!out.includes('HostNetwork'), out);
  });

  it('prints an ephemeral container with its embedded common fields', () => {
    const out = printed({ spec: { ephemeralContainers: [{ name: 'dbg', image: 'busybox', targetContainerName: 'c' }] } });
    assert.match(out, /EphemeralContainers:\[\]core\.EphemeralContainer\{core\.EphemeralContainer\{EphemeralContainerCommon:core\.EphemeralContainerCommon\{Name:"dbg", Image:"busybox", .*TTY:false\}, TargetContainerName:"c"\}\}/);
  });
});
