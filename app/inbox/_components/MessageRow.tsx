import { memo } from 'react';
import type { ThreadMessage } from '../../../store';
import { Avatar } from './Avatar';
import { formatFull, formatTime } from './format';
import { AlertIcon, CheckIcon, ClockIcon, DoubleCheckIcon } from './icons';
import styles from './Thread.module.css';

type Props = {
  message: ThreadMessage;
  /** First / last bubble of a run from the same sender: rounder corners, spacing, the avatar. */
  groupStart: boolean;
  groupEnd: boolean;
  onRetry: (clientId: string) => void;
};

function StatusTick({ message }: { message: ThreadMessage }) {
  if (message.status === 'pending') {
    return (
      <span className={styles.tick} role="img" aria-label="Sending" title="Sending">
        <ClockIcon size={13} />
      </span>
    );
  }
  if (message.status === 'failed') {
    return (
      <span className={`${styles.tick} ${styles.tickFailed}`} role="img" aria-label="Not sent" title="Not sent">
        <AlertIcon size={14} />
      </span>
    );
  }
  const read = message.is_read;
  return (
    <span
      className={`${styles.tick} ${read ? styles.tickRead : ''}`}
      role="img"
      aria-label={read ? 'Read' : 'Sent'}
      title={read ? 'Read' : 'Sent'}
    >
      {read ? <DoubleCheckIcon size={15} /> : <CheckIcon size={14} />}
    </span>
  );
}

/**
 * One message. Its text is rendered as text (React escapes it). The time is drawn from a data
 * attribute by CSS so the element's text stays the message itself (plus "Retry" when it failed).
 */
export const MessageRow = memo(function MessageRow({ message, groupStart, groupEnd, onRetry }: Props) {
  const common = {
    'data-testid': 'message',
    'data-status': message.status,
    'data-mine': message.is_mine ? 'true' : 'false',
  };
  const time = (
    <time
      className={styles.time}
      dateTime={message.created_at}
      title={formatFull(message.created_at)}
      data-time={formatTime(message.created_at)}
    />
  );

  if (message.message_type === 'SYSTEM') {
    return (
      <div {...common} className={styles.system}>
        <span className={styles.systemText}>
          {message.message_text}
          {time}
        </span>
      </div>
    );
  }

  const mine = message.is_mine;
  const classes = [
    styles.row,
    mine ? styles.mine : styles.theirs,
    groupStart ? styles.groupStart : '',
    groupEnd ? styles.groupEnd : '',
  ].join(' ');

  return (
    <div {...common} className={classes}>
      {!mine &&
        (groupEnd ? (
          <Avatar name={message.sender_name} src={message.sender_avatar} size={28} className={styles.avatar} />
        ) : (
          <span className={styles.avatarGap} />
        ))}
      <div className={styles.bubble}>
        <span className={styles.text}>{message.message_text}</span>
        <span className={styles.meta}>
          {time}
          {mine && <StatusTick message={message} />}
        </span>
      </div>
      {message.status === 'failed' && (
        <button type="button" className={styles.retry} onClick={() => onRetry(message.client_id ?? message.id)}>
          Retry
        </button>
      )}
    </div>
  );
});
