import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Marked, type Token, type Tokens } from 'marked';

/**
 * report.html: the report's Markdown as a page that works opened from disk, with no network and no server.
 * Each chart is drawn live from its Vega-Lite spec (inlined) by Vega, Vega-Lite and vega-embed, copied
 * from node_modules beside the page; tooltips on every mark, a click on a legend entry toggles its runs.
 * Each run's details are folded.
 */

/** The scripts the page loads, from each package's own browser build. */
const VENDOR = [
  { pkg: 'vega', file: 'build/vega.min.js' },
  { pkg: 'vega-lite', file: 'build/vega-lite.min.js' },
  { pkg: 'vega-embed', file: 'build/vega-embed.min.js' },
];
export const VENDOR_DIR = 'vendor';

/** A package's folder in node_modules (its exports may hide package.json and build/ from require.resolve). */
function packageDir(pkg: string): string {
  let dir = dirname(require.resolve(pkg));
  while (basename(dir) !== pkg) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of ${pkg}`);
    dir = up;
  }
  return dir;
}

/** Copies the scripts into `<dir>/vendor/`; returns their paths relative to `dir`. */
export function copyVendorScripts(dir: string): string[] {
  mkdirSync(join(dir, VENDOR_DIR), { recursive: true });
  return VENDOR.map(({ pkg, file }) => {
    copyFileSync(join(packageDir(pkg), file), join(dir, VENDOR_DIR, basename(file)));
    return `${VENDOR_DIR}/${basename(file)}`;
  });
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON inside a <script> element: `</` cannot end it early. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; color: #222; max-width: 1100px; margin: 2em auto; padding: 0 1em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; }
th { background: #f4f4f4; }
blockquote { margin: 1em 0; padding: 0.5em 1em; background: #fff8e0; border-left: 4px solid #e0b000; }
details { border: 1px solid #ddd; border-radius: 4px; padding: 0.3em 1em; margin: 0.5em 0; }
details > summary { cursor: pointer; font-weight: 600; font-size: 1.1em; }
.chart { margin: 0.5em 0 1.5em; }
`;

/**
 * The page for `markdown` (the report as written to report.md in `reportDir`, its image links relative to
 * it): an image with a `<name>.vl.json` beside it becomes a live chart. `scripts`: the vendor scripts, relative.
 */
export function renderHtml(markdown: string, title: string, reportDir: string, scripts: string[]): string {
  const specs: unknown[] = [];
  const marked = new Marked({
    renderer: {
      // Raw HTML in a pipeline's description or a run's label is shown, never run.
      html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
      image: ({ href, text }: Tokens.Image) => {
        const spec = join(reportDir, decodeURI(href).replace(/\.(png|svg)$/, '.vl.json'));
        if (!/\.(png|svg)$/.test(href) || !existsSync(spec)) return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}">`;
        specs.push(JSON.parse(readFileSync(spec, 'utf8')));
        return `<div class="chart" id="chart-${specs.length - 1}" role="img" aria-label="${escapeHtml(text)}"></div>`;
      },
    },
  });
  const body = folded(marked.lexer(markdown)).map((part) => (Array.isArray(part) ? marked.parser(part) : part)).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
${scripts.map((s) => `<script src="${escapeHtml(s)}"></script>`).join('\n')}
</head>
<body>
${body}
<script type="application/json" id="specs">${scriptJson(specs)}</script>
<script>
const specs = JSON.parse(document.getElementById('specs').textContent);
specs.forEach((spec, i) => {
  // Tooltips on every mark; the static PNG and SVG files keep none.
  spec.config = Object.assign({}, spec.config, { mark: Object.assign({}, (spec.config || {}).mark, { tooltip: true }) });
  vegaEmbed('#chart-' + i, spec, { actions: false, renderer: 'svg' }).catch((e) => {
    document.getElementById('chart-' + i).textContent = 'This chart could not be drawn: ' + e.message;
  });
});
</script>
</body>
</html>
`;
}

/** The tokens, with each "## Run …" section (a run's details) folded into <details>. */
function folded(tokens: Token[]): (Token[] | string)[] {
  const parts: (Token[] | string)[] = [];
  let open = false;
  let current: Token[] = [];
  const flush = () => {
    if (current.length) parts.push(current);
    current = [];
  };
  for (const token of tokens) {
    if (token.type === 'heading' && token.depth <= 2) {
      flush();
      if (open) parts.push('</details>\n');
      open = token.depth === 2 && /^Run /.test(token.text);
      if (open) {
        parts.push(`<details><summary>${escapeHtml(token.text)}</summary>\n`);
        continue;
      }
    }
    current.push(token);
  }
  flush();
  if (open) parts.push('</details>\n');
  return parts;
}
