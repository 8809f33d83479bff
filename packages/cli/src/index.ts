export { createProgram } from './program.js';
export { resolveServices, serviceRegistry } from './services.js';
export { redactConfig } from './show-config.js';
