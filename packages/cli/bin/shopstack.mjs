#!/usr/bin/env node
// ShopStack runs its TypeScript sources directly: tsx compiles them on the fly, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
