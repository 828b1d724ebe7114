'use strict';
const createFinFusionCore = require('./finfusion_core.cjs');

const loadNodeCrypto = async () => require('crypto');
