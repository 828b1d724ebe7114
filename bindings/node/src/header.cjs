'use strict';
const createFinFusionCore = require('./finfusion_core.cjs');

const loadNodeCrypto = async () => require('crypto');

const loadNodeThreads = async () => require('worker_threads');
const postgresWorker = () => require('path').join(__dirname, 'postgres_worker.cjs');

// The WebAssembly core's bytes, beside this file (read here, as the ES module's entry does).
const loadWasmBinary = async () => require('fs').promises.readFile(require('path').join(__dirname, 'finfusion_core.wasm'));
