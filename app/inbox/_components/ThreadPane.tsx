import { useCallback, useMemo, useRef, useState } from 'react';
import { selectConversation, selectConversationsLoaded } from '../../../store';
import { useAppSelector } from '../../../store/hooks';
import { Composer } from './Composer';
import { EmptyState } from './EmptyState';
import { MessageList } from './MessageList';
import { OfflineNotice } from './OfflineNotice';
import styles from './Thread.module.css';
import { ThreadHeader } from './ThreadHeader';
import { TypingIndicator, useTyping } from './TypingIndicator';
import { useOpenConversation } from './useOpenConversation';

/** How many recently shown conversations stay rendered, so going back to one is a swap. */
const KEPT_THREADS = 8;

/** Most recent first, the open one at the head. */
function withRecent(recent: readonly number[], open: number): number[] {
  return [open, ...recent.filter((id) => id !== open)].slice(0, KEPT_THREADS);
}

/** The open conversation: header, messages, composer. */
export function ThreadPane({ conversationId }: { conversationId: number }) {
  const conversation = useAppSelector((state) => selectConversation(state, conversationId));
  const listLoaded = useAppSelector(selectConversationsLoaded);
  const typing = useTyping(conversationId);
  const open = useOpenConversation();
  const back = useCallback(() => open(null), [open]);
  const logHost = useRef<HTMLDivElement>(null);
  const focusThread = useCallback(() => {
    logHost.current?.querySelector<HTMLElement>('[role="log"]')?.focus({ preventScroll: true });
  }, []);
  const [recent, setRecent] = useState(() => [conversationId]);
  if (recent[0] !== conversationId) setRecent(withRecent(recent, conversationId));
  // A stable order: moving a kept thread in the DOM would throw its cached layout away.
  const kept = useMemo(() => [...recent].sort((a, b) => a - b), [recent]);

  if (listLoaded && !conversation) {
    return (
      <EmptyState title="Conversation not found">
        It may have been removed, or you are not part of it. Pick another one from the list.
      </EmptyState>
    );
  }

  return (
    <section className={styles.pane}>
      <ThreadHeader conversation={conversation} onBack={back} onFocusThread={focusThread} />
      <OfflineNotice />
      <div className={styles.logHost} ref={logHost} data-typing={typing !== undefined || undefined}>
        {kept.map((id) => (
          <MessageList key={id} conversationId={id} active={id === conversationId} />
        ))}
        <TypingIndicator name={typing} />
      </div>
      <Composer conversationId={conversationId} />
    </section>
  );
}
