import assert from 'node:assert/strict';
import { it } from 'node:test';
import { divideQuantity, formatQuantity, multiplyQuantity, parseQuantity } from './quantity.ts';

it('parses quantities into exact thousandths', () => {
  assert.equal(parseQuantity('40'), 40_000n);
  assert.equal(parseQuantity('500m'), 500n);
  assert.equal(parseQuantity('1.5'), 1500n);
  assert.equal(parseQuantity('2Ki'), 2048_000n);
  assert.equal(parseQuantity('1G'), 1_000_000_000_000n);
  assert.equal(parseQuantity('.5'), 500n);
  assert.throws(() => parseQuantity('lots'), /"lots" is not a Kubernetes quantity/);
  assert.throws(() => parseQuantity('.'), /"\." is not a Kubernetes quantity/);
  assert.throws(() => parseQuantity(''), /"" is not a Kubernetes quantity/);
});

it('formats with the largest exact suffix', () => {
  assert.equal(formatQuantity(80_000n), '80');
  assert.equal(formatQuantity(1500n), '1500m');
  assert.equal(formatQuantity(parseQuantity('160Gi')), '160Gi');
  assert.equal(formatQuantity(0n), '0');
});

it('doubles requests into limits', () => {
  assert.equal(multiplyQuantity('40', 2), '80');
  assert.equal(multiplyQuantity('80Gi', 2), '160Gi');
  assert.equal(multiplyQuantity('500m', 2), '1');
  assert.equal(multiplyQuantity('1.5', 2), '3');
});

it('shares a quota out without exceeding it', () => {
  assert.equal(divideQuantity('20', 2), '10');
  assert.equal(divideQuantity('20', 3), '6666m');
  assert.equal(divideQuantity('1Ti', 4), '256Gi');
  assert.ok(parseQuantity(divideQuantity('10Gi', 3)) * 3n <= parseQuantity('10Gi'));
});
