// How big each figure runs: the full run (about five minutes) and the quick one (`--quick`, seconds),
// which produces every figure at small sizes so that `npm test` keeps the benchmark from rotting.
/** A closed-loop load: sender/receiver pairs, sends in flight per sender, and how long. */
type Load = { pairs: number; inFlight: number; warmupMs: number; durationMs: number };

export type Sizes = {
  /**
   * Cached switches among `conversations` of `messages` each; then among `longConversations` of
   * `longMessages` each, written into the database and paged into the cache by scrolling to the top.
   */
  switching: { conversations: number; messages: number; switches: number; longConversations: number; longMessages: number; longSwitches: number };
  fanout: Load;
  scale: Load;
  memory: {
    idleSockets: number;
    /** Conversations opened one after another in the browser, and the count compared against. */
    conversations: number;
    messages: number;
    baselineConversations: number;
  };
  store: { frames: number; conversations: number; loaded: number };
  /**
   * Typing and presence churn under the fan-out's pairs (figures/parity.ts): both sockets of each pair type
   * every `typingEveryMs`; `churnUsers` others connect and leave `churnSockets` sockets in the on phases of
   * one measured window; `repeats` runs of each, `warmupMs` + `durationMs`, half of it on, half off.
   */
  parity: { typingEveryMs: number; churnUsers: number; churnSockets: number; warmupMs: number; durationMs: number; repeats: number };
  /** The cache on disk: reloads measured each way, messages per reloaded conversation, the restore's
   *  conversations × messages, and the burst of incoming messages. */
  persist: { reloads: number; messages: number; restoreConversations: number; restoreMessages: number; burst: number };
};

export const FULL: Sizes = {
  switching: { conversations: 6, messages: 200, switches: 36, longConversations: 2, longMessages: 5_000, longSwitches: 20 },
  fanout: { pairs: 100, inFlight: 4, warmupMs: 1_000, durationMs: 8_000 },
  scale: { pairs: 100, inFlight: 4, warmupMs: 1_000, durationMs: 8_000 },
  memory: { idleSockets: 1_000, conversations: 200, messages: 200, baselineConversations: 50 },
  store: { frames: 100_000, conversations: 500, loaded: 50 },
  // Typing ten times the composer's pace (one every 3 s): 200 sockets, about 670 typing frames a second.
  parity: { typingEveryMs: 300, churnUsers: 100, churnSockets: 1_000, warmupMs: 1_000, durationMs: 30_000, repeats: 1 },
  persist: { reloads: 7, messages: 50, restoreConversations: 50, restoreMessages: 200, burst: 500 },
};

// Quick: the browser heap compares 12 against 6 opened conversations, below the store's cache bound of
// 50, so its ratio says nothing there; the full run is the one to read.
export const QUICK: Sizes = {
  switching: { conversations: 3, messages: 10, switches: 6, longConversations: 2, longMessages: 120, longSwitches: 4 },
  fanout: { pairs: 4, inFlight: 4, warmupMs: 100, durationMs: 500 },
  scale: { pairs: 2, inFlight: 4, warmupMs: 100, durationMs: 300 },
  memory: { idleSockets: 100, conversations: 12, messages: 5, baselineConversations: 6 },
  store: { frames: 5_000, conversations: 500, loaded: 50 },
  // Phases are 2 s: the quick run needs two of them to have a baseline at all.
  parity: { typingEveryMs: 300, churnUsers: 4, churnSockets: 20, warmupMs: 100, durationMs: 4_000, repeats: 1 },
  persist: { reloads: 2, messages: 10, restoreConversations: 3, restoreMessages: 60, burst: 100 },
};
