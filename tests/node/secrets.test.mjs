// No secret in toString, util.inspect, JSON, or error messages.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { ready, keys, hashing } from '@finfusion/keys';

before(() => ready());

function leaks(text, key) {
  const secret = key.slice(-49, -6);
  for (let i = 0; i + 12 <= secret.length; i++) if (text.includes(secret.slice(i, i + 12))) return true;
  return text.includes(key);
}

test('leak detector detects', () => {
  const key = keys.generate('production').reveal();
  assert.ok(leaks(`x${key.slice(30, 45)}y`, key));
  assert.ok(!leaks(key.slice(0, 21), key));
});

test('ApiKey never shows its secret', () => {
  const key = keys.generate('restricted');
  const secret = key.reveal();
  for (const text of [String(key), `${key}`, inspect(key), inspect({ nested: [key] }, { depth: 5 }), JSON.stringify(key), JSON.stringify({ key })]) {
    assert.ok(!leaks(text, secret), text);
    assert.ok(text.includes(key.id));
  }
  assert.deepEqual(Object.keys(key).sort(), ['environment', 'id', 'type']);
});

test('error messages never echo a key', () => {
  const secret = keys.generate('production').reveal();
  const variants = [secret.slice(0, -1), `${secret}x`, `rest${secret.slice(4)}`, ` ${secret}`, `${secret.slice(0, -1)}?`, secret.toLowerCase()];
  for (const bad of variants) {
    for (const call of [keys.parse, keys.mask]) {
      try {
        call(bad);
        assert.fail('accepted a broken key');
      } catch (e) {
        assert.ok(!leaks(`${e.message} ${e.stack} ${inspect(e)}`, secret));
      }
    }
  }
  try {
    keys.checkFormat(Buffer.from(secret));
  } catch (e) {
    assert.ok(e instanceof TypeError && !leaks(e.message, secret));
  }
});

test('peppers never appear', () => {
  const pepper = new Uint8Array(32).fill(0x50);
  const h = new hashing.Hasher({ p: pepper }, 'p');
  for (const text of [String(h), inspect(h), JSON.stringify(h)]) assert.ok(!text.includes('PPPP') && !text.includes('80,80'));
  h.dispose();
});
