import type { ResolvedTraining } from '../../spec';
import schema from '../../spec/schema.json';

// A loaded pipeline has these filled in; a schedule built in code (tests) takes the schema's.
const FACTOR = schema.definitions.StepSchedule.properties.factor.default;
const MIN = schema.definitions.CosineSchedule.properties.min.default;

/** The learning rate of epoch `epoch` (from 1) under the training's schedule. */
export function learningRateAt(t: Pick<ResolvedTraining, 'learning-rate' | 'epochs' | 'schedule'>, epoch: number): number {
  const lr = t['learning-rate'];
  const s = t.schedule;
  switch (s.type) {
    case 'constant':
      return lr;
    case 'step':
      return lr * (s.factor ?? FACTOR) ** Math.floor((epoch - 1) / s.every);
    case 'cosine': {
      const min = s.min ?? MIN;
      return min + ((lr - min) * (1 + Math.cos((Math.PI * (epoch - 1)) / t.epochs))) / 2;
    }
  }
}
