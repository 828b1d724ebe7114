'use strict';
const createFinFusionCore = require('./finfusion_core.cjs');

const loadNodeCrypto = async () => require('crypto');

const loadNodeThreads = async () => require('worker_threads');
const postgresWorker = () => require('path').join(__dirname, 'postgres_worker.cjs');
