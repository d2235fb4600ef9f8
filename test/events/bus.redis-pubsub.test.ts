import { busContract } from './bus-contract.ts';

// Pub/sub keeps no state on the server: nothing to clean beyond the seen-store keys the suite removes.
busContract({ name: 'redis-pubsub', url: () => 'redis://127.0.0.1:6379?mode=pubsub', cleanup: async () => undefined });
