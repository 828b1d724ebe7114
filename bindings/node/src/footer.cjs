module.exports = { ready, version, CODES, FinFusionError, keys, scopes, hashing, time, lifecycle, ratelimit, registry, signing, webhooks, FinFusion };
