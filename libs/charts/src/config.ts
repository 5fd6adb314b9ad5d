import { ChartsError } from './errors';
import { CHART_FORMATS, CHART_KINDS, type ChartFormat, type ChartKind, type ChartsConfig } from './types';

export type ResolvedChartsConfig = Required<ChartsConfig>;

/** Fills in the schema defaults and rejects what the schema would have; kinds and formats keep the order given. */
export function resolveChartsConfig(config: ChartsConfig = {}): ResolvedChartsConfig {
  const include = config.include ?? [...CHART_KINDS];
  const formats = config.formats ?? [...CHART_FORMATS];
  const scale = config.scale ?? 2;
  for (const k of include) {
    if (!(CHART_KINDS as readonly string[]).includes(k)) {
      throw new ChartsError(
        'BAD_CONFIG',
        `charts -> include: unknown chart kind '${k}' (expected one of ${CHART_KINDS.join(', ')})`,
      );
    }
  }
  for (const f of formats) {
    if (!(CHART_FORMATS as readonly string[]).includes(f)) {
      throw new ChartsError(
        'BAD_CONFIG',
        `charts -> formats: unknown format '${f}' (expected one of ${CHART_FORMATS.join(', ')})`,
      );
    }
  }
  if (formats.length === 0) throw new ChartsError('BAD_CONFIG', 'charts -> formats: name at least one of svg, png');
  if (!(scale >= 0.5 && scale <= 4)) throw new ChartsError('BAD_CONFIG', `charts -> scale: must be in [0.5, 4] (got ${scale})`);
  return { include: unique(include) as ChartKind[], formats: unique(formats) as ChartFormat[], scale };
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
