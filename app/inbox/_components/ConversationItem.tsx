import { memo, type MouseEvent } from 'react';
import type { ConversationSummary, Message } from '../../../protocol';
import { selectLastMessageChange, selectTyping, type MessageChange } from '../../../store';
import { useAppSelector } from '../../../store/hooks';
import { Avatar } from './Avatar';
import styles from './ConversationList.module.css';
import { formatListTime, formatFull } from './format';
import { inboxPath, isPlainClick } from './route';

type Props = {
  conversation: ConversationSummary;
  active: boolean;
  onOpen: (conversationId: number) => void;
};

/** The last message in a line, as it is now: with my edit or delete on its way applied. */
function preview(message: Message | null, change: MessageChange | undefined): string {
  if (!message) return 'No messages yet';
  const deleted = message.deleted || change?.kind === 'delete';
  const text = deleted ? 'Message deleted' : (change?.text ?? message.message_text);
  if (message.message_type === 'SYSTEM' || !message.is_mine) return text;
  return `You: ${text}`;
}

export const ConversationItem = memo(function ConversationItem({ conversation, active, onOpen }: Props) {
  const { id, job, counterpart, last_message: last, unread_count: unread } = conversation;
  const typing = useAppSelector((state) => selectTyping(state, id));
  const change = useAppSelector((state) => selectLastMessageChange(state, id));

  function onClick(event: MouseEvent<HTMLAnchorElement>) {
    if (!isPlainClick(event)) return;
    event.preventDefault();
    onOpen(id);
  }

  return (
    <li>
      <a
        href={inboxPath(id)}
        data-testid={`conversation-${id}`}
        className={styles.item}
        aria-current={active ? 'page' : undefined}
        data-unread={unread > 0 ? 'true' : undefined}
        onClick={onClick}
      >
        <Avatar name={counterpart.name} src={counterpart.avatar} size={44} online={counterpart.online} />
        <span className={styles.body}>
          <span className={styles.line}>
            <span className={styles.title}>{job.title}</span>
            {last && (
              <time className={styles.time} dateTime={last.created_at} title={formatFull(last.created_at)}>
                {formatListTime(last.created_at)}
              </time>
            )}
          </span>
          <span className={styles.line}>
            <span className={styles.counterpart}>{counterpart.name}</span>
            <span className={styles.status} data-status={job.status}>
              {job.status === 'COMPLETED' ? 'Completed' : 'In progress'}
            </span>
          </span>
          <span className={styles.line}>
            {typing !== undefined ? (
              <span className={`${styles.preview} ${styles.typing}`}>{typing} is typing…</span>
            ) : (
              <span
                className={styles.preview}
                data-system={last?.message_type === 'SYSTEM' || undefined}
                data-tombstone={last?.deleted || change?.kind === 'delete' || undefined}
              >
                {preview(last, change)}
              </span>
            )}
            {unread > 0 && (
              <span className={styles.unread} data-testid="unread-count" aria-label={`${unread} unread`}>
                {unread}
              </span>
            )}
          </span>
        </span>
      </a>
    </li>
  );
});
