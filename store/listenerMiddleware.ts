// What every listener gets: the typed `startListening` of RTK's listener middleware and the `extra`
// argument of the store (its socket link, its console, its configuration). Effects live beside the slice
// they serve (`addXListeners(startListening)`); store/listeners.ts registers them all.
import {
  isAnyOf,
  type Dispatch,
  type ListenerEffectAPI,
  type TypedStartListening,
  type UnknownAction,
} from '@reduxjs/toolkit';
import type { DebugLog } from './debug';
import { socketAuthFailed, socketDisconnected } from './events';
import { inboxStopped } from './intents';
import type { RootState } from './reducer';
import type { OutboxOptions } from './outbox/listeners';
import type { CacheWriter } from './persist/writer';
import type { SocketLink } from './socket/link';

export type ListenerExtra = {
  link: SocketLink;
  /** The CONTRACT section 6 console lines. */
  log: DebugLog;
  outbox: OutboxOptions;
  /** How long a `mark_complete` waits for its ack before it is shown as failed. */
  ackTimeoutMs: number;
  /** Writes the store to the browser's database; null without one. */
  persist: CacheWriter | null;
};

export type AppStartListening = TypedStartListening<RootState, Dispatch<UnknownAction>, ListenerExtra>;
export type AppListenerApi = ListenerEffectAPI<RootState, Dispatch<UnknownAction>, ListenerExtra>;

/** `ms`, spread over ±50 %, so that many clients do not ask again at the same moment. */
export const jittered = (ms: number): number => ms * (0.5 + Math.random());

/** The connection (or the inbox) ended: what was waiting for it is moot. */
export const connectionEnded = isAnyOf(socketDisconnected, socketAuthFailed, inboxStopped);
