/**
 * Polls until `cond` holds. The deadline only keeps a broken test from
 * hanging; it is not a performance assertion.
 */
export async function waitFor(cond: () => Promise<boolean> | boolean, deadlineMs = 30_000, everyMs = 10): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > until) throw new Error(`condition not met within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
