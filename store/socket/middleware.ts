// The only code that touches the socket. Server frames become actions through one flat table; intents
// become emits through the effects below, each run after the reducers have seen its action.
import type { Middleware, UnknownAction } from '@reduxjs/toolkit';
import { SERVER_EVENTS, type ServerToClientEvents } from '../../protocol';
import { createDebugLog } from '../debug';
import {
  conversationUpdated,
  conversationsReceived,
  errorReceived,
  markCompleteAcked,
  messageReceived,
  messagesReceived,
  readReceived,
  socketAuthFailed,
  socketConnected,
  socketDisconnected,
} from '../events';
import {
  conversationInvalidated,
  conversationOpened,
  conversationRead,
  inboxStarted,
  inboxStopped,
  jobMarkedComplete,
  messageRetried,
  messageSent,
  olderMessagesRequested,
} from '../intents';
import { hasUnread, holdsHistory, messageCount, oldestSeq, type Thread } from '../messages/thread';
import type { RootState } from '../reducer';
import { openSocket, type InboxSocket, type SocketOptions } from './client';
import { createOutbox, DEFAULT_OUTBOX, type OutboxOptions } from './outbox';

export type SocketMiddlewareOptions = {
  socket?: SocketOptions;
  debug?: boolean;
  outbox?: Partial<OutboxOptions>;
};

type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** An effect of an intent or event action, run after the reducers have applied it. */
type Effect = { matches: (action: unknown) => boolean; run: (action: unknown, prev: RootState) => void };

function on<A>(creator: { match: (action: unknown) => action is A }, run: (action: A, prev: RootState) => void): Effect {
  return { matches: creator.match, run: run as Effect['run'] };
}

/** A conversation open on a hidden page is not being read. */
const pageVisible = (): boolean => typeof document === 'undefined' || document.visibilityState === 'visible';

/** Server event → action. */
const frameActions: { [E in keyof ServerToClientEvents]: (p: Payload<E>, s: RootState) => UnknownAction } = {
  conversations: (p) => conversationsReceived(p),
  messages_response: (p) => messagesReceived(p),
  message: (p, s) => messageReceived(p, s.ui.openConversationId === p.conversation_id && pageVisible()),
  conversation_updated: (p) => conversationUpdated(p),
  read: (p) => readReceived(p),
  error: (p) => errorReceived(p),
};

export function createSocketMiddleware(options: SocketMiddlewareOptions = {}): Middleware<{}, RootState> {
  return (api) => {
    const log = createDebugLog(options.debug);
    let socket: InboxSocket | null = null;
    /** Reconnects and rate-limited re-asks waiting to run; cleared when the inbox stops. */
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const later = (run: () => void, ms: number) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        run();
      }, ms * (0.5 + Math.random()));
      timers.add(timer);
    };
    /** Conversations with a gap `sync` on its way, so a burst of messages asks once. */
    const syncing = new Set<number>();
    const outbox = createOutbox(
      { getState: api.getState, dispatch: api.dispatch, socket: () => socket },
      { ...DEFAULT_OUTBOX, ...options.outbox },
    );

    const threadOf = (id: number): Thread | undefined => api.getState().messages.byConversation[id];
    const live = (): InboxSocket | null => (socket?.connected ? socket : null);

    function requestHistory(id: number): void {
      const s = live();
      if (s === null) return; // asked for again on connect
      s.emit('get_messages', { conversation_id: id });
      log(`Requesting messages via WebSocket: ${id}`);
    }

    function requestOlder(id: number): void {
      const t = threadOf(id);
      const oldest = t && oldestSeq(t);
      if (oldest !== undefined) live()?.emit('get_messages', { conversation_id: id, before_seq: oldest });
    }

    /** A loaded thread holding a message beyond its gap-free run asks for what it missed. */
    function syncIfGap(id: number): void {
      const t = threadOf(id);
      const newest = t?.ids.at(-1);
      if (!t?.loaded || newest === undefined || syncing.has(id) || live() === null) return;
      if (t.entities[newest]!.seq! <= t.lastSeq) return;
      syncing.add(id);
      live()!.emit('sync', { conversations: [{ conversation_id: id, after_seq: t.lastSeq }] });
    }

    /** After every (re)connect: catch up loaded threads, re-ask lost requests, send the outbox. */
    function catchUp(s: InboxSocket): void {
      const threads = Object.entries(api.getState().messages.byConversation).map(
        ([id, t]) => [Number(id), t] as const,
      );
      const loaded = threads.filter(([, t]) => t.loaded);
      if (loaded.length > 0) {
        s.emit('sync', {
          conversations: loaded.map(([id, t]) => ({ conversation_id: id, after_seq: t.lastSeq })),
        });
      }
      for (const [id, t] of threads) {
        if (t.loading) requestHistory(id);
        else if (t.loadingOlder) requestOlder(id);
      }
      outbox.flush();
    }

    function start(): void {
      if (socket !== null) return;
      const s = openSocket(options.socket ?? {});
      socket = s;
      for (const event of SERVER_EVENTS) {
        const toAction = frameActions[event] as (p: unknown, state: RootState) => UnknownAction;
        s.on(event, ((payload: unknown) => api.dispatch(toAction(payload, api.getState()))) as never);
      }
      s.on('connect', () => {
        api.dispatch(socketConnected());
        catchUp(s);
      });
      s.on('disconnect', (reason) => {
        outbox.suspend();
        syncing.clear();
        api.dispatch(socketDisconnected());
        // socket.io does not reconnect after the server hung up on us; try once more (a revoked
        // session then ends in connect_error `unauthorized`).
        if (reason === 'io server disconnect') later(() => s.connect(), 1000);
      });
      s.on('connect_error', (err) => {
        if (err.message !== 'unauthorized') return void api.dispatch(socketDisconnected());
        stop();
        api.dispatch(socketAuthFailed());
      });
    }

    function stop(): void {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      outbox.suspend();
      syncing.clear();
      socket?.removeAllListeners();
      socket?.close();
      socket = null;
    }

    const before = (prev: RootState, id: number): Thread | undefined => prev.messages.byConversation[id];

    /** Intent → emit, frame → log or follow-up: each runs once the reducers have applied its action. */
    const effects: Effect[] = [
      on(inboxStarted, start),
      on(inboxStopped, stop),
      on(conversationOpened, ({ payload: { conversationId: id } }, prev) => {
        if (id === null) return;
        const t = before(prev, id);
        if (t?.loaded) log(`Instant load from cache: ${id} (${messageCount(t)} messages)`);
        else if (!t?.loading) requestHistory(id);
      }),
      on(messagesReceived, ({ payload: { conversation_id: id, after_seq } }, prev) => {
        if (after_seq !== undefined) syncing.delete(id);
        const t = threadOf(id);
        if (t === undefined || t === before(prev, id) || !t.loaded) return;
        log(`Cached ${messageCount(t)} messages for conversation ${id}`);
        syncIfGap(id);
      }),
      on(messageReceived, ({ payload: { conversation_id: id, message }, meta }, prev) => {
        const t = threadOf(id);
        if (t !== undefined && t !== before(prev, id) && holdsHistory(t)) {
          log(`Added message to cache for conversation ${id} (now ${messageCount(t)} messages)`);
          syncIfGap(id);
        }
        // Read as it arrives on screen, so the read mark (and the other side's receipt) follows.
        if (meta.open && !message.is_mine) api.dispatch(conversationRead({ conversationId: id, upToSeq: message.seq }));
      }),
      on(messageSent, ({ payload: { conversationId: id, clientId } }) => {
        if (threadOf(id)?.entities[clientId] === undefined) return;
        log(`Added optimistic message to cache for conversation ${id}`);
        outbox.pump(id);
      }),
      on(messageRetried, ({ payload }) => outbox.pump(payload.conversationId)),
      on(olderMessagesRequested, ({ payload: { conversationId: id } }, prev) => {
        if (!before(prev, id)?.loadingOlder && threadOf(id)?.loadingOlder) requestOlder(id);
      }),
      on(jobMarkedComplete, ({ payload: { conversationId } }) => {
        socket?.emit('mark_complete', { conversation_id: conversationId }, (ack) => {
          if (!ack.ok) return;
          api.dispatch(markCompleteAcked({ conversation: ack.conversation }));
          api.dispatch(conversationInvalidated({ conversationId }));
        });
      }),
      on(conversationInvalidated, ({ payload }) => log(`Invalidating cache for conversation ${payload.conversationId}`)),
      on(conversationRead, ({ payload: { conversationId: id, upToSeq } }, prev) => {
        const t = before(prev, id);
        const unread = (prev.conversations.byId[id]?.unread_count ?? 0) > 0 || (t !== undefined && hasUnread(t, upToSeq));
        if (unread) socket?.emit('mark_read', { conversation_id: id, up_to_seq: upToSeq });
      }),
      on(errorReceived, ({ payload: { code, conversation_id: id } }) => {
        if (code !== 'rate_limited') return;
        syncing.clear(); // a refused sync must not block the next one
        // A refused history request is asked again once the bucket has refilled a little.
        if (id === undefined) return;
        later(() => {
          if (threadOf(id)?.loading) requestHistory(id);
          else if (threadOf(id)?.loadingOlder) requestOlder(id);
        }, 1000);
      }),
    ];

    return (next) => (action) => {
      const prev = api.getState();
      const result = next(action);
      for (const e of effects) if (e.matches(action)) e.run(action, prev);
      return result;
    };
  };
}
