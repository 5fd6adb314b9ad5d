import type { TopLevelSpec } from 'vega-lite';
import { curvePoints, curveSpec, hasEpochs } from '../curves';
import type { ChartDefinition, ChartRun } from '../types';

/** Train and validation cross-entropy per epoch. */
export function lossSpec(runs: ChartRun[]): TopLevelSpec {
  const points = curvePoints('loss', runs, (e) => ({ train: e.trainLoss, validation: e.valLoss }));
  return curveSpec({ what: 'loss per epoch', runs, points, yTitle: 'Cross-entropy loss (nats)', yZero: true });
}

export const loss: ChartDefinition = { title: 'Loss per epoch', applies: hasEpochs, spec: lossSpec };
