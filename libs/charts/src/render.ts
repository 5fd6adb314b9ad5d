import { Resvg } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import { withDefaults, type Charts } from '../../pipeline-schema';
import { ChartsError } from './errors';
import { vegaTextWidth } from './text-width';
import { FONT } from './theme';

/** As in the pipeline's `charts` section; omitted fields take the schema's defaults. */
export type RenderOptions = Pick<Charts, 'formats' | 'scale'>;

export interface RenderedChart {
  svg?: string;
  png?: Uint8Array;
}

/**
 * Vega-Lite spec -> SVG (Vega, headless) -> PNG (resvg). Same spec, same bytes: no clock, no
 * network, no randomness, and the ids Vega numbers its gradients and clip paths with restart at 0.
 */
export async function renderChart(spec: TopLevelSpec, options: RenderOptions = {}): Promise<RenderedChart> {
  // the schema gives both a default, so after withDefaults neither is missing
  const { formats, scale } = withDefaults('Charts', options) as Required<RenderOptions>;
  const svg = await serially(() => toSvg(spec));
  const out: RenderedChart = {};
  if (formats.includes('svg')) out.svg = svg;
  if (formats.includes('png')) out.png = toPng(svg, scale);
  return out;
}

async function toSvg(spec: TopLevelSpec): Promise<string> {
  // Both are ESM-only; this workspace compiles to CommonJS.
  const vl = await import('vega-lite');
  const vega = await import('vega');
  // Not in vega's typings, but exported by vega-scenegraph as the hook for custom text measurement.
  (vega as unknown as { textMetrics: { width: typeof vegaTextWidth } }).textMetrics.width = vegaTextWidth;
  const loader = vega.loader();
  // Charts carry their data inline; a spec that points at a URL or file is refused rather than fetched.
  const refused: string[] = [];
  loader.sanitize = async (uri: string) => {
    refused.push(uri);
    throw new Error(`refused to load ${uri}`);
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), {
    renderer: 'none',
    loader,
    // Quiet: a refused load is thrown below as a ChartsError, which says more than Vega's log line.
    logLevel: vega.None,
  });
  try {
    await view.runAsync();
    // Vega logs a failed load and draws without the data; a chart missing its data is an error here.
    if (refused.length > 0) {
      throw new ChartsError('REMOTE_DATA', `charts draw inline data only, but the spec asks to load '${refused[0]}'`);
    }
    vega.resetSVGDefIds();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function toPng(svg: string, scale: number): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: FONT, sansSerifFamily: FONT },
  });
  return new Uint8Array(resvg.render().asPng());
}

let last: Promise<unknown> = Promise.resolve();

/** Vega's SVG def ids are module-global counters, so SVGs are produced one at a time. */
function serially<T>(work: () => Promise<T>): Promise<T> {
  const next = last.then(work, work);
  last = next.catch(() => undefined);
  return next;
}
