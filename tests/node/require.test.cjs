// The CommonJS entry: require() works (Node 18 cannot require an ES module).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const ff = require('@finfusion/keys');

test('require() loads the package and ready() is memoised', async () => {
  const first = ff.ready();
  assert.equal(ff.ready(), first);
  await first;
  const key = ff.keys.generate('development');
  assert.equal(ff.keys.checkFormat(key.reveal()), 'valid');
  assert.ok(ff.keys.generate('production') instanceof ff.keys.ApiKey);
});
