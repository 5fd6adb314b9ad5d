import type { TopLevelSpec } from 'vega-lite';
import { accuracySpec } from './kinds/accuracy';
import { confusionSpec } from './kinds/confusion';
import { featuresSpec } from './kinds/features';
import { lossSpec } from './kinds/loss';
import { sweepSpec } from './kinds/sweep';
import { learningRateSpec } from './kinds/learning-rate';
import { misclassifiedSpec } from './kinds/misclassified';
import { testAccuracySpec } from './kinds/test-accuracy';
import type { ChartKind, ChartRun } from './types';

const builders: Record<ChartKind, (runs: ChartRun[]) => TopLevelSpec> = {
  loss: lossSpec,
  accuracy: accuracySpec,
  confusion: confusionSpec,
  'test-accuracy': testAccuracySpec,
  sweep: sweepSpec,
  'learning-rate': learningRateSpec,
  misclassified: misclassifiedSpec,
  features: featuresSpec,
};

/** The Vega-Lite spec of one chart kind. */
export function chartSpec(kind: ChartKind, runs: ChartRun[]): TopLevelSpec {
  return builders[kind](runs);
}
