// Crossing between the event loop and the SQLite writer thread costs a postMessage each way (a structured
// clone and a wake-up of the other thread): what one turn of an event loop has to post goes as one message.

/** Gathers the items added in one turn of the event loop and posts them, in order, in the next. */
export class TurnBatch<T> {
  private items: T[] = [];

  constructor(private readonly post: (items: T[]) => void) {}

  add(item: T): void {
    if (this.items.length === 0) setImmediate(() => this.flush());
    this.items.push(item);
  }

  /** Posts what is gathered now (a close must follow the writes posted before it). */
  flush(): void {
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.post(items);
  }
}
