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
    assert.ok(documents[f].cases.filter((c) => 'error' in c).length >= 5, `${f} has negative cases`);
  }
});
