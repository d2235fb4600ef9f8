import type { RabbitBus } from '../../src/events/bus/rabbitmq.ts';
import { busContract } from './bus-contract.ts';

busContract({
  name: 'rabbitmq',
  url: (run) => `amqp://guest:guest@127.0.0.1:5672?exchange=${run}`,
  cleanup: async (bus, _run, subscriptions) => {
    const rabbit = bus as RabbitBus;
    const seen = new Set<string>();
    for (const { group, pattern } of subscriptions) {
      const q = rabbit.queueName(group, pattern);
      if (seen.has(q)) continue;
      seen.add(q);
      await rabbit.deleteGroup(group, pattern);
    }
    await rabbit.deleteExchanges();
  },
});
