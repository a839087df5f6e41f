// The sockets each user holds on this process. A place is taken in the handshake, before the socket is
// accepted, so handshakes of one user that run at once are counted exactly; it is given back when the
// socket disconnects or its connection closes (whichever comes first: a handshake whose client left
// before it was accepted never disconnects).
export class UserSockets {
  private readonly byUser = new Map<number, Set<string>>();

  constructor(private readonly max: number) {}

  /** Takes a place for the socket; false when the user already holds `max`. */
  tryAdd(userId: number, socketId: string): boolean {
    const held = this.byUser.get(userId) ?? new Set<string>();
    if (held.size >= this.max) return false;
    held.add(socketId);
    this.byUser.set(userId, held);
    return true;
  }

  /** Gives the place back; a second call for the same socket does nothing. */
  remove(userId: number, socketId: string): void {
    const held = this.byUser.get(userId);
    if (!held?.delete(socketId)) return;
    if (held.size === 0) this.byUser.delete(userId);
  }

  count(userId: number): number {
    return this.byUser.get(userId)?.size ?? 0;
  }
}
