// The ES module entry: import works, names and default-less exports as documented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ff from '@finfusion/keys';

test('import loads the package and ready() is memoised', async () => {
  const first = ff.ready();
  assert.equal(ff.ready(), first);
  await first;
  assert.equal(ff.keys.checkFormat(ff.keys.generate('restricted').reveal()), 'valid');
  assert.deepEqual(Object.keys(ff).sort(), ['CODES', 'FinFusion', 'FinFusionError', 'hashing', 'keys', 'lifecycle', 'ratelimit', 'ready', 'registry', 'scopes', 'signing', 'time', 'version', 'webhooks']);
});
