// Work that must finish before shutdown closes the database (frames being handled, sockets being set up).
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    // Inline arrows: tsx names a closure bound to a name (a defineProperty per call, on every frame).
    work.then(
      () => this.pending.delete(work),
      () => this.pending.delete(work),
    );
    return work;
  }

  /** Resolves once everything tracked so far, and anything it started meanwhile, has settled. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
