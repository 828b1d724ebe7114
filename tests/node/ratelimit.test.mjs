import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, keys, ratelimit } from '@finfusion/keys';

before(() => ready());

test('burst, refusal, and the boundary', () => {
  const limit = { requests: 2, window: '1s' };
  const a = ratelimit.check(limit, null, 0);
  const b = ratelimit.check(limit, a.state, 0);
  const c = ratelimit.check(limit, b.state, 0);
  assert.deepEqual([a.allowed, a.remaining, b.allowed, b.remaining, c.allowed], [true, 1, true, 0, false]);
  assert.equal(c.retryAfterMs, 500);
  assert.deepEqual(c.state, b.state);
  assert.equal(ratelimit.check(limit, b.state, 499).allowed, false);
  assert.equal(ratelimit.check(limit, b.state, 500).allowed, true);
  assert.equal(ratelimit.check({ requests: 2, window: 1 }, b.state, 500).allowed, true);
});

test('type defaults and Dates', () => {
  const policy = new keys.TypeTable().get('development');
  const now = new Date('2025-06-01T00:00:00Z');
  let state = null;
  const results = [];
  for (let i = 0; i < 11; i++) {
    const d = ratelimit.check(policy, state, now);
    state = d.state;
    results.push(d.allowed);
  }
  assert.deepEqual(results, [...Array(10).fill(true), false]);
  assert.equal(ratelimit.check(policy, state, now.getTime() + 100).allowed, true);
});

test('bad arguments', () => {
  for (const [limit, cost] of [[{ requests: 0, windowMs: 1000 }, 1], [{ requests: 10, windowMs: 0 }, 1], [{ requests: 10, windowMs: 1000 }, 0], [{ requests: 10, windowMs: 1000 }, 11]]) {
    assert.throws(() => ratelimit.check(limit, null, 0, cost), (e) => e.code === 'invalid_request');
  }
  assert.throws(() => ratelimit.check({ requests: 1.5, windowMs: 1000 }, null, 0), (e) => e.code === 'invalid_request');
  assert.throws(() => ratelimit.check({ requests: '10', windowMs: 1000 }, null, 0), TypeError);
  assert.throws(() => ratelimit.check(null, null, 0), TypeError);
  assert.throws(() => ratelimit.check({ requests: 10, window: '1 s' }, null, 0), (e) => e.code === 'invalid_duration');
});
