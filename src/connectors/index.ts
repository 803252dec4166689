// Shared connector base: the contract, the mapper contract and the registry. The HTTP layer is
// `./http/index.js`.
export * from './contract.js';
export * from './mapping.js';
export * from './registry.js';
