"""The module is safe to call from many threads at once."""

from concurrent.futures import ThreadPoolExecutor

from finfusion import hashing, keys, scopes


def test_concurrent_generate_hash_verify():
    hasher = hashing.Hasher({"p": hashing.generate_pepper()}, current="p")
    granted = scopes.parse(["payments", "!payments:refund"])

    def work(i: int) -> bool:
        ok = True
        for _ in range(200):
            key = keys.generate("production" if i % 2 else "development").reveal()
            stored = hasher.hash(key)
            ok &= hasher.verify(key, stored)
            ok &= keys.check_format(key) == "valid"
            ok &= scopes.allows(granted, "payments:charge")
        return ok

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(work, range(32)))
