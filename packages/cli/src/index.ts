export { createProgram } from './program.js';
export { knownServices, resolveServices, serviceRegistry } from './services.js';
export { redactConfig } from './show-config.js';
export { webApps } from './web-apps.js';
