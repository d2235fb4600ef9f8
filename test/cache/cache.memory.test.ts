import { MemoryCache } from '../../src/cache/memory.ts';
import { cacheSuite } from './cache-suite.ts';

cacheSuite('memory', async (prefix) => new MemoryCache({ prefix }), async () => undefined);
