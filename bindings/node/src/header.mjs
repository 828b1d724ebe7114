import createFinFusionCore from './finfusion_core.mjs';

const loadNodeCrypto = () => import('node:crypto');

// Node's worker threads for the PostgreSQL registry, loaded by ready() (the same file runs in
// browsers, so no static import).
const loadNodeThreads = () => import('node:worker_threads');
const postgresWorker = () => new URL('./postgres_worker.cjs', import.meta.url);
