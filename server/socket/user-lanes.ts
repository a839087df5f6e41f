// The frames of one user are handled one at a time across all of their sockets, each in an event-loop turn
// of its own. A user flooding twenty sockets then gets one handler per turn, as anyone else does, instead of
// running a backlog of hundreds back to back: on SQLite a handler never waits for I/O, so such a backlog
// would hold the event loop, and every other user's frames, until it was done.
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const ignore = () => {};

export class UserLanes {
  /** Per user with work queued: a promise that settles when the last of it has run. */
  private readonly tails = new Map<number, Promise<void>>();

  run(userId: number, task: () => Promise<void>): Promise<void> {
    const done = (this.tails.get(userId) ?? Promise.resolve()).then(nextTurn).then(task);
    const tail = done.then(ignore, ignore);
    this.tails.set(userId, tail);
    void tail.then(() => {
      if (this.tails.get(userId) === tail) this.tails.delete(userId);
    });
    return done;
  }
}
