import { accuracy } from './kinds/accuracy';
import { confusion } from './kinds/confusion';
import { features } from './kinds/features';
import { learningRate } from './kinds/learning-rate';
import { loss } from './kinds/loss';
import { misclassified } from './kinds/misclassified';
import { sweep } from './kinds/sweep';
import { testAccuracy } from './kinds/test-accuracy';
import type { ChartDefinition, ChartKind } from './types';

/** Every chart kind, in the order the report shows them; keyed by the kinds the schema allows, so a new one does not compile until it is here. */
export const CHARTS: { [K in ChartKind]: ChartDefinition } = {
  sweep,
  loss,
  accuracy,
  'learning-rate': learningRate,
  'test-accuracy': testAccuracy,
  confusion,
  misclassified,
  features,
};

export const CHART_KINDS = Object.keys(CHARTS) as ChartKind[];

/** A kind's caption in the report. */
export const chartCaption = (kind: ChartKind): string => CHARTS[kind].title;
