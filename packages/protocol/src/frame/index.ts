export * from './header.js';
export * from './codec.js';
