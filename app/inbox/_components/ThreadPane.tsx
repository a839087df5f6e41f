import { useCallback, useState } from 'react';
import { selectConversation, selectConversationsLoaded } from '../../../store';
import { useAppSelector } from '../../../store/hooks';
import { Composer } from './Composer';
import { EmptyState } from './EmptyState';
import { OfflineNotice } from './OfflineNotice';
import styles from './Thread.module.css';
import { ThreadHeader } from './ThreadHeader';
import { MessageList } from './MessageList';
import { useOpenConversation } from './useOpenConversation';

/** The open conversation: header, messages, composer. */
export function ThreadPane({ conversationId }: { conversationId: number }) {
  const conversation = useAppSelector((state) => selectConversation(state, conversationId));
  const listLoaded = useAppSelector(selectConversationsLoaded);
  const open = useOpenConversation();
  const back = useCallback(() => open(null), [open]);
  // Unsent drafts per conversation, kept while the page lives (as messengers do).
  const [drafts] = useState(() => new Map<number, string>());

  if (listLoaded && !conversation) {
    return (
      <EmptyState title="Conversation not found">
        It may have been removed, or you are not part of it. Pick another one from the list.
      </EmptyState>
    );
  }

  return (
    <section className={styles.pane}>
      <ThreadHeader conversation={conversation} onBack={back} />
      <OfflineNotice />
      <MessageList
        key={`log:${conversationId}`}
        conversationId={conversationId}
        counterpartName={conversation?.counterpart.name}
      />
      <Composer key={`composer:${conversationId}`} conversationId={conversationId} drafts={drafts} />
    </section>
  );
}
