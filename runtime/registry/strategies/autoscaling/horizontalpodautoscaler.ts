import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/** HorizontalPodAutoscalers: status cleared on create and kept on update; upstream keeps no generation for them. */
class HorizontalPodAutoscalerStrategy extends DefaultStrategy {
  protected override tracksGeneration = false;
}

registerStrategy('autoscaling', 'HorizontalPodAutoscaler', (kind, schema, config) => new HorizontalPodAutoscalerStrategy(kind, schema, config));
