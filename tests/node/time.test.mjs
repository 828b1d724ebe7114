import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, time } from '@finfusion/keys';

before(() => ready());

test('durations', () => {
  assert.equal(time.parseDuration('48h'), 48 * 3600000);
  assert.equal(time.parseDuration('1d12h'), 36 * 3600000);
  assert.equal(time.formatDuration(129600), '1d12h');
  assert.equal(time.formatDuration('2w'), '14d');
  assert.equal(time.durationMillis(1.5), 1500);
  for (const bad of ['', '-1h', '1H', '99999999999h', '1 h', '12h1d']) {
    assert.throws(() => time.parseDuration(bad), (e) => e.code === 'invalid_duration');
  }
  assert.throws(() => time.formatDuration(-1), (e) => e.code === 'invalid_duration');
  assert.throws(() => time.formatDuration(0.0001), (e) => e.code === 'invalid_duration');
  assert.throws(() => time.formatDuration({}), TypeError);
});

test('timestamps come out as Dates in UTC', () => {
  assert.equal(time.parseTimestamp('2026-01-01T02:00:00+02:00').toISOString(), '2026-01-01T00:00:00.000Z');
  assert.equal(time.parseTimestamp('2025-12-31').toISOString(), '2025-12-31T00:00:00.000Z');
  assert.equal(time.formatTimestamp(new Date(Date.UTC(2025, 11, 31, 23, 59, 59, 999))), '2025-12-31T23:59:59.999Z');
  assert.equal(time.formatTimestamp(0), '1970-01-01T00:00:00.000Z');
  assert.throws(() => time.formatTimestamp(new Date(NaN)), (e) => e.code === 'invalid_timestamp');
  assert.throws(() => time.formatTimestamp('2025-01-01'), TypeError);
  assert.throws(() => time.formatTimestamp(253402300800000), (e) => e.code === 'invalid_timestamp');
});

test('a date-only expiry covers the whole UTC day', () => {
  const until = time.parseUntil('2025-12-31');
  assert.equal(until.toISOString(), '2026-01-01T00:00:00.000Z');
  assert.ok(Date.UTC(2025, 11, 31, 23, 59, 59, 999) < until.getTime());
  for (const bad of ['', '2025-02-29', '2025-12-31t00:00:00Z', '2025-12-31T23:59:60Z', '2025-12-31T00:00:00', '9999-12-31']) {
    assert.throws(() => (bad === '9999-12-31' ? time.parseUntil(bad) : time.parseTimestamp(bad)), (e) => e.code === 'invalid_timestamp');
  }
});
