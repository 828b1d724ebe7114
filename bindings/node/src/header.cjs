'use strict';
const createFinFusionCore = require('./finfusion_core.cjs');

const loadNodeCrypto = async () => require('crypto');

const nodeBuiltin = (name) => require(name);
const postgresWorker = () => require('path').join(__dirname, 'postgres_worker.cjs');
