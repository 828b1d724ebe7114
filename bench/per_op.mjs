// The timing loop of the Node benchmarks: the median of five batches, in ns per call, each
// batch long enough to take a fifth of `seconds`.
export function perOp(fn, seconds = 0.5) {
  let n = 64;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    if (Number(process.hrtime.bigint() - start) > (seconds * 1e9) / 5) break;
    n *= 2;
  }
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    runs.push(Number(process.hrtime.bigint() - start) / n);
  }
  return runs.sort((a, b) => a - b)[2];
}
