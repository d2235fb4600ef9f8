// A consumer in its own process, for the contract suite's cross-process
// tests. It subscribes with BUS_URL/TOPIC/GROUP and prints one JSON line per
// delivery. MODE=ack acknowledges everything; MODE=ack-first acknowledges
// the first event and then holds every later one unacknowledged forever, so
// the parent can SIGKILL it with work in hand.
import { busFromUrl } from '../../src/events/bus/from-url.ts';

const { BUS_URL, TOPIC, GROUP, MODE = 'ack' } = process.env;
if (!BUS_URL || !TOPIC || !GROUP) throw new Error('BUS_URL, TOPIC and GROUP are required');

const bus = await busFromUrl(BUS_URL);
let handled = 0;
await bus.subscribe(TOPIC, GROUP, async (event, ctx) => {
  handled += 1;
  process.stdout.write(`${JSON.stringify({ id: event.id, redelivered: ctx.redelivered, attempt: ctx.attempt ?? null, pid: process.pid })}\n`);
  if (MODE === 'ack-first' && handled > 1) await new Promise(() => undefined);
  // Small pause so one member does not drain the group alone before the other asks.
  await new Promise((r) => setTimeout(r, 5));
}, { prefetch: 1, retryDelayMs: 200, onError: (err) => process.stderr.write(`consumer error: ${String(err)}\n`) });
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void bus.close().then(() => process.exit(0));
});
