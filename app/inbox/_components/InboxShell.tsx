'use client';

import { memo, useCallback, useEffect, useState } from 'react';
import { Provider } from 'react-redux';
import {
  conversationOpened,
  eraseCache,
  inboxStarted,
  inboxStopped,
  makeStore,
  openInboxCache,
  prefetchCache,
  restoreCache,
  selectAuthFailed,
  selectOpenConversationId,
  type InboxCache,
} from '../../../store';
import { useAppSelector } from '../../../store/hooks';
import type { SignedInUser } from '../../../protocol/user-header';
import { ConversationList } from './ConversationList';
import { EmptyState } from './EmptyState';
import styles from './InboxShell.module.css';
import { conversationIdFromPath } from './route';
import { ThreadPane } from './ThreadPane';
import { TopBar } from './TopBar';
import { UnreadTitle } from './UnreadTitle';

type Props = { user: SignedInUser; initialConversationId: number | null };

/**
 * The whole inbox on the client: one store for the page's life. What the browser kept for this user (by
 * the key the server gave the page) is restored first, then the socket starts and the address's
 * conversation opens, so a kept conversation shows from disk without a request.
 */
export function InboxShell({ user, initialConversationId }: Props) {
  const [{ store, cache }] = useState(() => {
    const cache = openInboxCache(user.key);
    prefetchCache(cache);
    return { cache, store: makeStore({ cache }) };
  });
  const [started, setStarted] = useState(false);

  useEffect(() => {
    let live = true;
    const openFromAddress = () =>
      store.dispatch(conversationOpened({ conversationId: conversationIdFromPath(window.location.pathname) }));
    void restoreCache(store, cache).then(() => {
      if (!live) return;
      store.dispatch(inboxStarted());
      openFromAddress();
      setStarted(true);
      window.addEventListener('popstate', openFromAddress);
    });
    return () => {
      live = false;
      window.removeEventListener('popstate', openFromAddress);
      store.dispatch(inboxStopped());
    };
  }, [store, cache]);

  return (
    <Provider store={store}>
      {/* Until the store has read the address, lay out for the conversation the server rendered. */}
      <InboxLayout user={user} cache={cache} pendingConversationId={started ? undefined : initialConversationId} />
    </Provider>
  );
}

type LayoutProps = { user: SignedInUser; cache: InboxCache; pendingConversationId: number | null | undefined };

const InboxLayout = memo(function InboxLayout({ user, cache, pendingConversationId }: LayoutProps) {
  const openId = useAppSelector(selectOpenConversationId);
  const authFailed = useAppSelector(selectAuthFailed);
  const shownId = pendingConversationId === undefined ? openId : pendingConversationId;

  // Signed out (here, or the session refused): nothing of this user stays in the browser.
  const leave = useCallback(async () => {
    await eraseCache(cache);
    window.location.assign('/login');
  }, [cache]);

  useEffect(() => {
    if (authFailed) void leave();
  }, [authFailed, leave]);

  return (
    <div className={styles.app} data-view={shownId === null ? 'list' : 'thread'}>
      <TopBar user={user} onSignedOut={leave} />
      {/* One main landmark around both panes: on a phone only one of them is shown at a time, and
          each view still has its main. */}
      <main className={styles.panes}>
        <div className={styles.sidebar}>
          <ConversationList />
        </div>
        <div className={styles.detail}>
          {/* While the disk is read (a few ms), a conversation in the address shows nothing yet, not "Select". */}
          {openId !== null ? <ThreadPane conversationId={openId} /> : shownId === null ? <EmptyState /> : null}
        </div>
      </main>
      <UnreadTitle />
    </div>
  );
});
