import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { textWidth, vegaTextWidth } from './text-width';

test('textWidth at 2048px equals the font units: "0" 1303, "M" 1767, bold "M" 2038', () => {
  assert.equal(textWidth('0', 2048), 1303);
  assert.equal(textWidth('M', 2048), 1767);
  assert.equal(textWidth('M', 2048, true), 2038);
  assert.equal(textWidth('ab', 2048), 1255 + 1300);
});

test('vegaTextWidth: weight from the item, trimmed text, capped at the label limit', () => {
  const plain = vegaTextWidth({ fontSize: 11 }, ' Epoch ');
  assert.equal(plain, textWidth('Epoch', 11));
  assert.ok(vegaTextWidth({ fontSize: 11, fontWeight: 'bold' }, 'Epoch') > plain);
  assert.ok(vegaTextWidth({ fontSize: 11, fontWeight: 700 }, 'Epoch') > plain);
  assert.equal(vegaTextWidth({ fontSize: 11, limit: 10 }, 'a long label'), 10);
  assert.equal(vegaTextWidth({}, 'x'), textWidth('x', 11));
});
