// Real browser stores (makeStore) running in Node against a cluster, and waiting on their state.
import { vi } from 'vitest';
import { signIn } from '../../server/test/helpers';
import {
  conversationOpened,
  inboxStarted,
  inboxStopped,
  makeStore,
  selectConversationList,
  selectConversationsLoaded,
  selectThread,
  type AppStore,
} from '../../store';

export async function until(condition: () => boolean, what: string, timeout = 20_000): Promise<void> {
  await vi.waitFor(() => {
    if (!condition()) throw new Error(`waiting for ${what}`);
  }, { timeout, interval: 20 });
}

/** Signs in at `signInUrl`, then starts a store whose socket goes to `socketUrl`; waits for its list. */
export async function storeOf(email: string, socketUrl: string, signInUrl = socketUrl): Promise<AppStore> {
  const cookie = await signIn(signInUrl, email);
  const store = makeStore({ socket: { url: socketUrl, headers: { cookie } } });
  store.dispatch(inboxStarted());
  await until(() => selectConversationsLoaded(store.getState()), `${email}'s conversations`);
  return store;
}

export function stopStores(stores: AppStore[]): void {
  for (const store of stores) store.dispatch(inboxStopped());
}

export function conversationId(store: AppStore, title: string): number {
  const found = selectConversationList(store.getState()).find((c) => c.job.title === title);
  if (!found) throw new Error(`no conversation "${title}"`);
  return found.id;
}

/** Opens a conversation and waits for its history. */
export async function openThread(store: AppStore, id: number): Promise<void> {
  store.dispatch(conversationOpened({ conversationId: id }));
  await until(() => selectThread(store.getState(), id).loaded, `the history of ${id}`);
}

export const threadOf = (store: AppStore, id: number) => selectThread(store.getState(), id).messages;
export const textsOf = (store: AppStore, id: number) => threadOf(store, id).map((m) => m.message_text);

/** The seqs of a thread's confirmed messages are 1…n: nothing missing, nothing twice. */
export function isGapless(store: AppStore, id: number): boolean {
  const seqs = threadOf(store, id).map((m) => m.seq);
  const first = seqs[0] ?? 1;
  return seqs.every((seq, i) => seq === first + i);
}
