// Boots an import's reading worker: registers the TypeScript loader in this thread, then loads the worker module.
import { register } from 'tsx/esm/api';

register();
await import('./parseWorker.ts');
