// Worker threads do not inherit the TypeScript loader registered in the main thread: register it here.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
