import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bodyExcerpt, errorAbout, KubeApiError, reasonForStatus } from './api-error.ts';

it('errorAbout keeps a KubeApiError one (status, reason, details), the original as its cause', () => {
  const original = new KubeApiError(409, 'Conflict', 'the object has been modified', { name: 'a' });
  const error = errorAbout('delete NetworkPolicy devteam-a/a', original);
  assert.ok(error instanceof KubeApiError);
  assert.equal(error.message, 'delete NetworkPolicy devteam-a/a: the object has been modified');
  assert.deepEqual(
    [error.status, error.reason, error.details, error.cause],
    [409, 'Conflict', { name: 'a' }, original],
  );
});

it('errorAbout wraps any other failure in a plain Error with the cause', () => {
  const original = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
  const error = errorAbout('apply Namespace devteam-a', original);
  assert.ok(!(error instanceof KubeApiError));
  assert.equal(error.message, 'apply Namespace devteam-a: connect ECONNREFUSED 127.0.0.1:6443');
  assert.equal(error.cause, original);
  assert.equal(errorAbout('x', 'a string').message, 'x: a string');
});

it('an HTML excerpt is its text: no scripts, styles, comments or tags, entities decoded, one line', () => {
  const body =
    '<!DOCTYPE html><html><script>var x = 1;</script><!-- hidden --><p>Tom &amp; Jerry&nbsp;&lt;3</p>\n\n</html>';
  assert.equal(bodyExcerpt({ body }), 'Tom & Jerry <3');
  assert.equal(bodyExcerpt({ body: 'a < b and c > d', contentType: 'text/plain' }), 'a < b and c > d');
});

it('reasons follow the API server for the statuses it uses, the code otherwise', () => {
  assert.deepEqual([404, 409, 422, 429, 500, 502, 503, 504, 507, 418].map(reasonForStatus), [
    'NotFound',
    'Conflict',
    'Invalid',
    'TooManyRequests',
    'InternalError',
    'BadGateway',
    'ServiceUnavailable',
    'Timeout',
    'InternalError',
    '418',
  ]);
});
