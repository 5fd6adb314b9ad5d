import { scheduleDefaults, type ResolvedTraining } from '../../pipeline-schema';

/** The learning rate of epoch `epoch` (from 1) under the training's schedule. */
export function learningRateAt(t: Pick<ResolvedTraining, 'learning-rate' | 'epochs' | 'schedule'>, epoch: number): number {
  const lr = t['learning-rate'];
  const s = t.schedule;
  switch (s.type) {
    case 'constant':
      return lr;
    case 'step':
      return lr * (s.factor ?? scheduleDefaults.step.factor) ** Math.floor((epoch - 1) / s.every);
    case 'cosine': {
      const min = s.min ?? scheduleDefaults.cosine.min;
      return min + ((lr - min) * (1 + Math.cos((Math.PI * (epoch - 1)) / t.epochs))) / 2;
    }
  }
}
