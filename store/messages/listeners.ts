// The messages cache's effects: asking for histories, older pages and missed messages, and the cache
// lines of CONTRACT section 6. The reducers decide (a thread becomes `loading`, `loadingOlder` or
// `syncing`); these listeners send what was decided, and send it again after every connect.
import { isAnyOf, type PayloadAction, type UnknownAction } from '@reduxjs/toolkit';
import type { MessagesResponseEvent } from '../../protocol';
import {
  errorReceived,
  historyLoaded,
  markCompleteAcked,
  messageAcked,
  messageChangeAcked,
  messageReceived,
  messageUpdated,
  olderPageLoaded,
  socketConnected,
  syncReceived,
} from '../events';
import { conversationOpened, conversationPrefetched, messageQueued, olderMessagesRequested } from '../intents';
import { connectionEnded, jittered, type AppListenerApi as Api, type AppStartListening } from '../listenerMiddleware';
import type { RootState } from '../reducer';
import { holdsHistory, messageCount, oldestSeq, type Thread } from './thread';

const threadIn = (state: RootState, id: number): Thread | undefined => state.messages.byConversation[id];

function requestHistory(api: Api, id: number): void {
  if (api.extra.link.send('get_messages', { conversation_id: id })) {
    api.extra.log(`Requesting messages via WebSocket: ${id}`);
  }
}

function requestOlder(api: Api, id: number): void {
  const t = threadIn(api.getState(), id);
  const oldest = t && oldestSeq(t);
  if (oldest !== undefined) api.extra.link.send('get_messages', { conversation_id: id, before_seq: oldest });
}

/** Whether an action changed a thread beyond its `syncing` flag (a no-op sync answer only clears it). */
function changed(before: Thread | undefined, after: Thread): boolean {
  if (before === undefined) return true;
  return (Object.keys(after) as (keyof Thread)[]).some((key) => key !== 'syncing' && after[key] !== before[key]);
}

/** The answer to a thread's `sync`: its messages after a seq, or the latest page when it missed too much. */
const answersSync = (action: UnknownAction, id: number): boolean =>
  (syncReceived.match(action) || historyLoaded.match(action)) && action.payload.conversation_id === id;

/**
 * Sends the gap `sync` a reducer has just decided on (`syncing` went up), and owns it until the gap is
 * gone: a sync left unanswered (lost, or refused while the connection stays up) is sent again after
 * the ack timeout, and one whose answer left a newer gap is followed by the next. A disconnect ends it
 * (the next connect syncs every thread).
 */
async function syncIfGapNoted(api: Api, id: number): Promise<void> {
  if (!threadIn(api.getState(), id)?.syncing || threadIn(api.getOriginalState(), id)?.syncing) return;
  for (;;) {
    const t = threadIn(api.getState(), id);
    if (!t?.syncing || !api.extra.link.send('sync', { conversations: [syncEntry(id, t)] })) return;
    const taken = await api.take((action) => connectionEnded(action) || answersSync(action, id), api.extra.ackTimeoutMs);
    if (taken !== null && connectionEnded(taken[0])) return;
  }
}

/** Where a thread's `sync` starts: after its gap-free run of messages and of changes (edits, deletes). */
const syncEntry = (id: number, t: Thread) => ({ conversation_id: id, after_seq: t.gaplessSeq, after_rev: t.rev });

/** One `sync` naming every loaded thread: what a new connection (or a refused one) catches up with. */
function syncLoaded(api: Api): void {
  const loaded = Object.entries(api.getState().messages.byConversation).filter(([, t]) => t.loaded);
  if (loaded.length === 0) return;
  api.extra.link.send('sync', { conversations: loaded.map(([id, t]) => syncEntry(Number(id), t)) });
}

export function addMessagesListeners(startListening: AppStartListening): void {
  startListening({
    actionCreator: conversationOpened,
    effect: ({ payload: { conversationId: id } }, api) => {
      if (id === null) return;
      const before = threadIn(api.getOriginalState(), id);
      if (before?.loaded) api.extra.log(`Instant load from cache: ${id} (${messageCount(before)} messages)`);
      else if (!before?.loading && threadIn(api.getState(), id)?.loading) requestHistory(api, id);
    },
  });

  // A prefetch the reducer accepted (never-loaded, fewer than two on their way) asks for the history.
  startListening({
    actionCreator: conversationPrefetched,
    effect: ({ payload: { conversationId: id } }, api) => {
      if (!threadIn(api.getOriginalState(), id)?.loading && threadIn(api.getState(), id)?.loading) requestHistory(api, id);
    },
  });

  startListening({
    actionCreator: olderMessagesRequested,
    effect: ({ payload: { conversationId: id } }, api) => {
      if (!threadIn(api.getOriginalState(), id)?.loadingOlder && threadIn(api.getState(), id)?.loadingOlder) {
        requestOlder(api, id);
      }
    },
  });

  startListening({
    matcher: isAnyOf(historyLoaded, olderPageLoaded, syncReceived),
    effect: ({ payload: { conversation_id: id } }: PayloadAction<MessagesResponseEvent>, api) => {
      const t = threadIn(api.getState(), id);
      if (t === undefined || !t.loaded || !changed(threadIn(api.getOriginalState(), id), t)) return;
      api.extra.log(`Cached ${messageCount(t)} messages for conversation ${id}`);
      return syncIfGapNoted(api, id);
    },
  });

  // A predicate, not `actionCreator`: an effect costs the listener middleware an AbortController and a
  // promise, and most frames are for conversations with no history here (bench figure 4).
  startListening({
    predicate: (action, state, before): action is ReturnType<typeof messageReceived> => {
      if (!messageReceived.match(action)) return false;
      const t = threadIn(state, action.payload.conversation_id);
      return t !== undefined && t !== threadIn(before, action.payload.conversation_id) && holdsHistory(t);
    },
    effect: ({ payload: { conversation_id: id } }, api) => {
      const t = threadIn(api.getState(), id)!;
      api.extra.log(`Added message to cache for conversation ${id} (now ${messageCount(t)} messages)`);
      return syncIfGapNoted(api, id);
    },
  });

  // A change beyond the gap-free revisions (or one that was the message itself, beyond the gap-free seqs).
  startListening({
    actionCreator: messageUpdated,
    effect: ({ payload: { conversation_id: id } }, api) => syncIfGapNoted(api, id),
  });
  startListening({
    actionCreator: messageChangeAcked,
    effect: ({ payload: { conversationId: id } }, api) => syncIfGapNoted(api, id),
  });
  // An own message acked past messages this thread never received.
  startListening({
    actionCreator: messageAcked,
    effect: ({ payload: { conversationId: id } }, api) => syncIfGapNoted(api, id),
  });

  startListening({
    actionCreator: messageQueued,
    effect: ({ payload: { conversationId: id, clientId } }, api) => {
      if (threadIn(api.getState(), id)?.entities[clientId] !== undefined) {
        api.extra.log(`Added optimistic message to cache for conversation ${id}`);
      }
    },
  });

  startListening({
    actionCreator: markCompleteAcked,
    effect: ({ payload: { conversation: c } }, api) => api.extra.log(`Invalidating cache for conversation ${c.id}`),
  });

  // After every (re)connect: catch up every loaded thread with one sync, ask again what was lost.
  startListening({
    actionCreator: socketConnected,
    effect: (_, api) => {
      syncLoaded(api);
      const threads = Object.entries(api.getState().messages.byConversation).map(([id, t]) => [Number(id), t] as const);
      for (const [id, t] of threads) {
        if (t.loading) requestHistory(api, id);
        else if (t.loadingOlder) requestOlder(api, id);
      }
    },
  });

  // A request refused as rate_limited is asked again once the bucket has refilled a little: a history
  // or an older page (the error names its conversation), or a sync (it names none; the refusal cleared
  // every thread's `syncing`, so every loaded thread catches up).
  startListening({
    actionCreator: errorReceived,
    effect: async ({ payload: { code, conversation_id: id } }, api) => {
      if (code !== 'rate_limited') return;
      if (await api.condition(connectionEnded, jittered(1000))) return; // the next connect asks anyway
      if (id === undefined) return syncLoaded(api);
      const t = threadIn(api.getState(), id);
      if (t?.loading) requestHistory(api, id);
      else if (t?.loadingOlder) requestOlder(api, id);
    },
  });
}
