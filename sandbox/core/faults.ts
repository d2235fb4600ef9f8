import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Fault knobs for a fake. Each is independent; all default to off.
 * `errorRate` and `dropRate` are probabilities per request (0..1).
 * `burst429` answers the next N requests with the provider's own 429.
 * `malformedPages` makes list endpoints return a broken JSON body (N times).
 */
export interface Faults {
  errorRate: number;
  errorStatus: number;
  latencyMs: number;
  dropRate: number;
  burst429: number;
  malformedPages: number;
}

export const noFaults = (): Faults => ({ errorRate: 0, errorStatus: 503, latencyMs: 0, dropRate: 0, burst429: 0, malformedPages: 0 });

export type Random = () => number;

/** Decides what a request suffers before its handler runs. Returns true when the reply was already sent. */
export async function applyFaults(
  faults: Faults,
  random: Random,
  req: FastifyRequest,
  reply: FastifyReply,
  send429: (reply: FastifyReply) => void,
  sendError: (reply: FastifyReply, status: number) => void = sendInjectedError,
): Promise<boolean> {
  if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
  if (faults.dropRate > 0 && random() < faults.dropRate) {
    req.raw.socket.destroy();
    reply.hijack();
    return true;
  }
  if (faults.burst429 > 0) {
    faults.burst429 -= 1;
    send429(reply);
    return true;
  }
  if (faults.errorRate > 0 && random() < faults.errorRate) {
    sendError(reply, faults.errorStatus);
    return true;
  }
  return false;
}

/** The body an injected 5xx gets when the fake has no error shape of its own. */
export function sendInjectedError(reply: FastifyReply, status: number): void {
  void reply.code(status).send({ error: 'sandbox_injected_fault', status });
}

/** Mulberry32: small seeded PRNG so generated data and fault patterns repeat run to run. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
