import createFinFusionCore from './finfusion_core.mjs';

const loadNodeCrypto = () => import('node:crypto');

// Node's modules for the PostgreSQL registry, reached without a static import (the same file
// runs in browsers): process.getBuiltinModule (Node 20.16+).
const nodeBuiltin = (name) => globalThis.process?.getBuiltinModule?.(name);
const postgresWorker = () => new URL('./postgres_worker.cjs', import.meta.url);
