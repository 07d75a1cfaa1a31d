/** The conformance suite's Widgets have one RawExtension field, `data` (as ControllerRevision). */
export const widgetRawJsonFields: RawJsonFieldsOf = (apiVersion, kind) => (apiVersion === 'example.com/v1' && kind === 'Widget' ? ['data'] : undefined);

/**
 * The JSON storage codec (`--storage-media-type application/json`, the embedded store's default) for Widgets;
 * `compactRawJson`: as on etcd (true), or as on the embedded store (false).
 */
export function widgetJsonCodec(compactRawJson = true): StorageCodec {
  return newJsonCodec({ rawJsonFields: widgetRawJsonFields, compactRawJson });
}

/**
 * A storage codec that writes the conformance suite's Widgets in Kubernetes' protobuf form (`k8s\0` envelope,
 * ObjectMeta from the generated messages), so the suite also runs on what kube-apiserver's default media type stores.
 */
import { protobufMessages } from '../../generated/index.ts';
import { ProtobufCodec } from '../../runtime/machinery/protobuf.ts';
import { newJsonCodec, newStorageCodec, protobufMediaType, type RawJsonFieldsOf, type StorageCodec } from '../../runtime/storage/codec.ts';

export function widgetProtobufCodec(): StorageCodec {
  const protobuf = new ProtobufCodec();
  protobuf.addMessages(protobufMessages);
  protobuf.addMessages({
    'com.example.v1.Widget': [
      { name: 'metadata', number: 1, type: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
      { name: 'spec', number: 2, type: 'com.example.v1.WidgetSpec' },
      { name: 'data', number: 3, type: 'rawExtension' },
    ],
    'com.example.v1.WidgetSpec': [
      { name: 'n', number: 1, type: 'int64' },
      { name: 'i', number: 2, type: 'int64' },
    ],
  });
  protobuf.registerKind('example.com/v1', 'Widget', 'com.example.v1.Widget');
  return newStorageCodec({ mediaType: protobufMediaType, protobuf, rawJsonFields: widgetRawJsonFields });
}
