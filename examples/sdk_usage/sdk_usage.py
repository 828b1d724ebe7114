"""The seed's Python snippets, as written, against a local (in-memory) registry.

  FINFUSION_API_KEY=prod_... python examples/sdk_usage/sdk_usage.py

Prints one JSON line per step; the examples test runs this and sdk_usage.mjs and compares.
"""

import json
import os

from finfusion import FinFusion

client = FinFusion(
    api_key=os.environ.get('FINFUSION_API_KEY'),
    environment='production',
    options={
        'timeout': 30000,
        'retries': 3
    }
)

# The key the dashboard would have made (the seed's curl body, expiring a year from now).
created = client.api_keys.create({"name": "Production API Key", "type": "production",
                                  "permissions": ["payments", "kyc", "reporting"]})
current_key_id = created.record.id

# Rotate API key
new_key = client.api_keys.rotate(
    current_key=current_key_id,
    grace_period='48h',  # Both keys will work for 48 hours
    notify_emails=['security@yourcompany.com']
)
# Verify key rotation
key_info = client.api_keys.verify(new_key.id)

# Get API key usage metrics
usage = client.api_keys.get_usage(
    key_id=current_key_id,
    timeframe={
        'start': '2024-01-01',
        'end': '2024-01-31'
    },
    metrics=['requests', 'errors', 'latency']
)
# Get audit logs
logs = client.api_keys.get_logs(
    key_id=current_key_id,
    limit=100,
    event_types=['key.created', 'key.rotated', 'key.accessed']
)

grace_until = new_key.previous.grace_until
assert grace_until is not None  # a rotated key has a grace window
print(json.dumps({"step": "rotate", "replaces": new_key.current.replaces == current_key_id,
                  "graceHours": (grace_until - new_key.current.created_at).total_seconds() / 3600}))
print(json.dumps({"step": "verify", "valid": key_info.valid, "code": key_info.code}))
print(json.dumps({"step": "usage", "requests": usage["requests"], "errors": usage["errors"],
                  "latency": usage["latency"]["count"]}))
print(json.dumps({"step": "logs", "types": [e.type for e in logs]}))
