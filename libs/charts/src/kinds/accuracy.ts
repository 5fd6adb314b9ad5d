import type { TopLevelSpec } from 'vega-lite';
import { curvePoints, curveSpec, hasEpochs } from '../curves';
import type { ChartDefinition, ChartRun } from '../types';

/** Train and validation accuracy per epoch, in percent (history holds fractions). */
export function accuracySpec(runs: ChartRun[]): TopLevelSpec {
  const points = curvePoints('accuracy', runs, (e) => ({
    train: e.trainAccuracy * 100,
    validation: e.valAccuracy * 100,
  }));
  return curveSpec({ what: 'accuracy per epoch', runs, points, yTitle: 'Accuracy (%)', yZero: false });
}

export const accuracy: ChartDefinition = { title: 'Accuracy per epoch', applies: hasEpochs, spec: accuracySpec };
