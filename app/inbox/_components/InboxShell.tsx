'use client';

import { memo, useEffect, useState } from 'react';
import { Provider } from 'react-redux';
import {
  conversationOpened,
  inboxStarted,
  inboxStopped,
  makeStore,
  selectAuthFailed,
  selectOpenConversationId,
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

/** The whole inbox on the client: one store for the page's life, started and stopped with it. */
export function InboxShell({ user, initialConversationId }: Props) {
  const [store] = useState(() => makeStore());
  const [started, setStarted] = useState(false);

  useEffect(() => {
    const openFromAddress = () =>
      store.dispatch(conversationOpened({ conversationId: conversationIdFromPath(window.location.pathname) }));
    store.dispatch(inboxStarted());
    openFromAddress();
    setStarted(true);
    window.addEventListener('popstate', openFromAddress);
    return () => {
      window.removeEventListener('popstate', openFromAddress);
      store.dispatch(inboxStopped());
    };
  }, [store]);

  return (
    <Provider store={store}>
      {/* Until the store has read the address, lay out for the conversation the server rendered. */}
      <InboxLayout user={user} pendingConversationId={started ? undefined : initialConversationId} />
    </Provider>
  );
}

type LayoutProps = { user: SignedInUser; pendingConversationId: number | null | undefined };

const InboxLayout = memo(function InboxLayout({ user, pendingConversationId }: LayoutProps) {
  const openId = useAppSelector(selectOpenConversationId);
  const authFailed = useAppSelector(selectAuthFailed);
  const shownId = pendingConversationId === undefined ? openId : pendingConversationId;

  useEffect(() => {
    if (authFailed) window.location.assign('/login');
  }, [authFailed]);

  return (
    <div className={styles.app} data-view={shownId === null ? 'list' : 'thread'}>
      <TopBar user={user} />
      {/* One main landmark around both panes: on a phone only one of them is shown at a time, and
          each view still has its main. */}
      <main className={styles.panes}>
        <div className={styles.sidebar}>
          <ConversationList />
        </div>
        <div className={styles.detail}>
          {openId === null ? <EmptyState /> : <ThreadPane conversationId={openId} />}
        </div>
      </main>
      <UnreadTitle />
    </div>
  );
});
