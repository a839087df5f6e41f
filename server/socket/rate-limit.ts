// A token bucket per socket: `perSecond` frames per second on average, bursts of twice that.
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly capacity: number;

  constructor(
    private readonly perSecond: number,
    now: number = performance.now(),
  ) {
    this.capacity = perSecond * 2;
    this.tokens = this.capacity;
    this.updatedAt = now;
  }

  /**
   * Takes `cost` tokens if there are that many; false means the frame is over the limit (and costs nothing).
   * A cost above the capacity takes a full bucket, so that no frame is refused forever.
   */
  take(cost = 1, now: number = performance.now()): boolean {
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsedSeconds * this.perSecond);
    this.updatedAt = now;
    const price = Math.min(cost, this.capacity);
    if (this.tokens < price) return false;
    this.tokens -= price;
    return true;
  }
}
