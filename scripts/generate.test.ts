import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GENERATED, withoutFusedMultiplyAdd } from './generate';

for (const { file, what, text } of GENERATED) {
  test(`${what} is generated from its current source`, async () => {
    assert.equal(readFileSync(file, 'utf8'), await text(), 'run `npm run generate`');
  });
}

test('each fused multiply-add of simd.wat becomes a multiply and an add, nested ones too', () => {
  const fused = '(local.set $a (f32x4.relaxed_madd (local.get $x) (f32x4.relaxed_madd (local.get $y) (local.get $z) (local.get $b)) (local.get $a)))';
  assert.equal(
    withoutFusedMultiplyAdd(fused),
    '(local.set $a (f32x4.add (f32x4.mul (local.get $x) (f32x4.add (f32x4.mul (local.get $y) (local.get $z)) (local.get $b))) (local.get $a)))',
  );
  assert.equal(withoutFusedMultiplyAdd('(f32x4.add (local.get $a) (local.get $b))'), '(f32x4.add (local.get $a) (local.get $b))');
});
