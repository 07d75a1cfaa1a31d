/**
 * VolumeAttachment strategy, as upstream's pkg/registry/storage/volumeattachment: no generation (the spec never
 * changes), status only through /status (the generic status handling), updates only with a resourceVersion.
 */
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

class VolumeAttachmentStrategy extends DefaultStrategy {
  protected override readonly tracksGeneration = false;
  override readonly allowUnconditionalUpdate = false;
}

registerStrategy('storage.k8s.io', 'VolumeAttachment', (kind, schema, config) => new VolumeAttachmentStrategy(kind, schema, config));
