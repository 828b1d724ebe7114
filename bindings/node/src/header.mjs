import createFinFusionCore from './finfusion_core.mjs';

const loadNodeCrypto = () => import('node:crypto');
