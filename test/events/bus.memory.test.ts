import { busContract } from './bus-contract.ts';

busContract({ name: 'memory', url: () => 'memory://', cleanup: async () => undefined });
