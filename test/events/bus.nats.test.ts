import type { NatsBus } from '../../src/events/bus/nats.ts';
import { busContract } from './bus-contract.ts';

// The run id is the first subject segment, so each run gets its own stream.
busContract({
  name: 'nats',
  url: () => 'nats://127.0.0.1:4222?ackWaitMs=1500',
  cleanup: async (bus, run) => { await (bus as NatsBus).deleteStream(`${run}.x`); },
});
