export * from './header.js';
export * from './codec.js';
export * from './frame-value.js';
