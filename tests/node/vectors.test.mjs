import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as api from '@finfusion/keys';
import { FILES, runAll } from './vectors.mjs';

const load = (file) => JSON.parse(readFileSync(new URL(`../vectors/${file}.json`, import.meta.url), 'utf8'));

test('every conformance vector gets the answer the C++ core wrote', async () => {
  await api.ready();
  const documents = Object.fromEntries(FILES.map((f) => [f, load(f)]));
  const { count, failures } = runAll(api, documents);
  assert.deepEqual(failures, []);
  assert.ok(count > 250, `only ${count} cases`);
  for (const f of FILES) {
    // A negative case fails as a whole, or holds failed steps (scenarios, sequences).
    const negative = (c) => 'error' in c || /"error"|"allowed":false|"valid":false/.test(JSON.stringify(c.expect));
    assert.ok(documents[f].cases.filter(negative).length >= 5, `${f} has negative cases`);
  }
});
