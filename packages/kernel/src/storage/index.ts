export * from './local-storage.js';
export * from './object-key.js';
export * from './s3-storage.js';
export * from './storage.js';
