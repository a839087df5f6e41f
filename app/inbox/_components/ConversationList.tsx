import { memo, useCallback, useDeferredValue, useState } from 'react';
import type { ConversationSummary } from '../../../protocol';
import {
  conversationPrefetched,
  selectConversationList,
  selectConversationsLoaded,
  selectOpenConversationId,
} from '../../../store';
import { useAppDispatch, useAppSelector } from '../../../store/hooks';
import { ConversationItem } from './ConversationItem';
import styles from './ConversationList.module.css';
import { SearchIcon } from './icons';
import { useOpenConversation } from './useOpenConversation';
import { usePrefetchOnRest } from './usePrefetchOnRest';

function matches(conversation: ConversationSummary, query: string): boolean {
  const haystack = `${conversation.job.title} ${conversation.counterpart.name}`.toLowerCase();
  return haystack.includes(query);
}

export const ConversationList = memo(function ConversationList() {
  const conversations = useAppSelector(selectConversationList);
  const loaded = useAppSelector(selectConversationsLoaded);
  const openId = useAppSelector(selectOpenConversationId);
  const open = useOpenConversation();
  const dispatch = useAppDispatch();
  const prefetch = useCallback((conversationId: number) => dispatch(conversationPrefetched({ conversationId })), [dispatch]);
  const prefetchHandlers = usePrefetchOnRest(prefetch);
  const [query, setQuery] = useState('');
  const needle = useDeferredValue(query.trim().toLowerCase());
  const shown = needle ? conversations.filter((c) => matches(c, needle)) : conversations;

  return (
    <>
      <div className={styles.head}>
        <h2 className={styles.heading}>Inbox</h2>
        <div className={styles.search}>
          <SearchIcon size={16} />
          <input
            type="search"
            aria-label="Search jobs and people"
            placeholder="Search jobs and people"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </div>
      </div>
      <nav aria-label="Conversations" className={styles.nav} {...prefetchHandlers}>
        {!loaded ? (
          <ListSkeleton />
        ) : shown.length === 0 ? (
          <p className={styles.none}>
            {conversations.length === 0
              ? 'No conversations yet. When a job starts, its conversation shows up here.'
              : 'No conversation matches your search.'}
          </p>
        ) : (
          <ul className={styles.list}>
            {shown.map((conversation) => (
              <ConversationItem
                key={conversation.id}
                conversation={conversation}
                active={conversation.id === openId}
                onOpen={open}
              />
            ))}
          </ul>
        )}
      </nav>
    </>
  );
});

function ListSkeleton() {
  return (
    <ul className={styles.list} aria-hidden="true">
      {[0, 1, 2].map((i) => (
        <li key={i} className={styles.skeleton}>
          <span className={styles.skelAvatar} />
          <span className={styles.skelLines}>
            <span />
            <span />
          </span>
        </li>
      ))}
    </ul>
  );
}
