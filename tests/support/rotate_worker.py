"""One side of the concurrent-rotation tests (pytest's, and the Node suite's fleet test): a
registry on the store URL rotates the head of every chain, round after round; a rotation that
loses the race is a conflict. Prints how many it won.

    python rotate_worker.py URL SEED ROUNDS KEY_ID...
"""

import datetime as dt
import sys

import finfusion
from finfusion import hashing, registry

url, seed, rounds, ids = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
reg = registry.Registry(hashing.Hasher({"p1": b"\x07" * 32}, current="p1"), seed=seed, store=url)
now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
won = 0
for r in range(rounds):
    for i, key_id in enumerate(ids):
        head = reg.get(key_id)
        while head.replaced_by:
            head = reg.get(head.replaced_by)
        ids[i] = head.id
        try:
            reg.rotate(head.id, now=now + dt.timedelta(milliseconds=r), grace_period="0")
            won += 1
        except finfusion.ConflictError:
            pass
print(won)
