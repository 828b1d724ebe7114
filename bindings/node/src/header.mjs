import createFinFusionCore from './finfusion_core.mjs';

const loadNodeCrypto = () => import('node:crypto');

// Node's worker threads for the PostgreSQL registry, loaded by ready() (the same file runs in
// browsers, so no static import).
const loadNodeThreads = () => import('node:worker_threads');
const postgresWorker = () => new URL('./postgres_worker.cjs', import.meta.url);

// The WebAssembly core's bytes, beside this file. Browsers fetch it themselves (the core
// finds it from its own URL); Node's fetch cannot read file: URLs, so there it is read here.
const loadWasmBinary = async () => {
  if (!globalThis.process?.versions?.node) return undefined;
  const { readFile } = await import('node:fs/promises');
  return readFile(new URL('./finfusion_core.wasm', import.meta.url));
};
