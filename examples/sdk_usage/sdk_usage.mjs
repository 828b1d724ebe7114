// The seed's Node snippets, as written, against a local (in-memory) registry.
//
//   FINFUSION_API_KEY=prod_... node examples/sdk_usage/sdk_usage.mjs
//
// Prints one JSON line per step, as sdk_usage.py does.
import { ready, FinFusion } from '@finfusion/keys';

await ready();

const finfusion = new FinFusion({
  apiKey: process.env.FINFUSION_API_KEY,
  environment: 'production',
  options: {
    timeout: 30000,
    retries: 3
  }
});

// The key the dashboard would have made (the seed's curl body, expiring a year from now).
const created = await finfusion.apiKeys.create({ name: 'Production API Key', type: 'production',
  permissions: ['payments', 'kyc', 'reporting'] });
const currentKeyId = created.record.id;

// Rotate API key
const newKey = await finfusion.apiKeys.rotate({
  currentKey: currentKeyId,
  gracePeriod: '48h', // Both keys will work for 48 hours
  notifyEmails: ['security@yourcompany.com']
});
// Verify key rotation
const keyInfo = await finfusion.apiKeys.verify(newKey.id);

// Get API key usage metrics
const usage = await finfusion.apiKeys.getUsage({
  keyId: currentKeyId,
  timeframe: {
    start: '2024-01-01',
    end: '2024-01-31'
  },
  metrics: ['requests', 'errors', 'latency']
});
// Get audit logs
const logs = await finfusion.apiKeys.getLogs({
  keyId: currentKeyId,
  limit: 100,
  eventTypes: ['key.created', 'key.rotated', 'key.accessed']
});

console.log(JSON.stringify({ step: 'rotate', replaces: newKey.current.replaces === currentKeyId,
  graceHours: (newKey.previous.graceUntil - newKey.current.createdAt) / 3600000 }));
console.log(JSON.stringify({ step: 'verify', valid: keyInfo.valid, code: keyInfo.code }));
console.log(JSON.stringify({ step: 'usage', requests: usage.requests, errors: usage.errors, latency: usage.latency.count }));
console.log(JSON.stringify({ step: 'logs', types: logs.map((e) => e.type) }));
