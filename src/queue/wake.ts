/**
 * A poll interval that can be cut short: `sleep(ms)` resolves after `ms` or
 * as soon as `wake()` is called, whichever is first. Loops that poll as the
 * truth and take nudges as hints (workers, the outbox relay) share it.
 */
export class Waker {
  private pending: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.pending === done) this.pending = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pending = done;
    });
  }

  wake(): void {
    this.pending?.();
  }
}
