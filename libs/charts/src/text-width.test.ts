import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import { textWidth, vegaTextWidth } from './text-width';

/** Advance width of `text` as resvg lays it out in DejaVu Sans at 20px: where an 'H' after it starts, less where an 'H' alone does. */
function renderedWidth(text: string, bold: boolean): number {
  const right = (s: string) => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="60"><text x="10" y="40" font-family="DejaVu Sans" font-size="20" font-weight="${bold ? 'bold' : 'normal'}" xml:space="preserve">${s.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text></svg>`;
    const box = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).getBBox()!;
    return box.x + box.width;
  };
  return right(`${text}H`) - right('H');
}

test('textWidth gives the widths resvg lays out: to the hundredth of a pixel without kerning pairs, within 2% with them', () => {
  for (const bold of [false, true]) {
    for (const text of ['Epoch 10 · 98.87%', '{[|]} ~ @#$ 0123456789', 'MNIST – 0…−1']) {
      assert.ok(Math.abs(textWidth(text, 20, bold) - renderedWidth(text, bold)) < 0.01, `${text}${bold ? ' (bold)' : ''}: ${textWidth(text, 20, bold)} against ${renderedWidth(text, bold)}`);
    }
    // Kerning (Te, y.) only tightens a line: the table errs wide, a pixel or two.
    for (const text of ['Test accuracy (%)', 'the quick brown fox jumps over the lazy dog', 'Validation, LeNet-5']) {
      const [ours, drawn] = [textWidth(text, 20, bold), renderedWidth(text, bold)];
      assert.ok(ours >= drawn - 0.01 && ours - drawn < 0.02 * drawn, `${text}${bold ? ' (bold)' : ''}: ${ours} against ${drawn}`);
    }
  }
});

test('vegaTextWidth: weight from the item, trimmed text, capped at the label limit', () => {
  const plain = vegaTextWidth({ fontSize: 11 }, ' Epoch ');
  assert.equal(plain, textWidth('Epoch', 11));
  assert.ok(vegaTextWidth({ fontSize: 11, fontWeight: 'bold' }, 'Epoch') > plain);
  assert.ok(vegaTextWidth({ fontSize: 11, fontWeight: 700 }, 'Epoch') > plain);
  assert.equal(vegaTextWidth({ fontSize: 11, limit: 10 }, 'a long label'), 10);
  assert.equal(vegaTextWidth({}, 'x'), textWidth('x', 11));
});
