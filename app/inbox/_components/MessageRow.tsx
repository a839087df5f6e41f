import { memo, useEffect, useRef } from 'react';
import type { ProtocolError } from '../../../protocol';
import type { MessageChange, ShownMessage } from '../../../store';
import { Avatar } from './Avatar';
import { formatFull, formatTime } from './format';
import { AlertIcon, BlockedIcon, CheckIcon, ClockIcon, CloseIcon, DoubleCheckIcon, PencilIcon, TrashIcon } from './icons';
import { MessageEditor } from './MessageEditor';
import styles from './Thread.module.css';

/** What a row can ask of its thread (one stable object per thread, so rows stay memoized). */
export type RowActions = {
  retry: (clientId: string) => void;
  edit: (messageId: string) => void;
  save: (messageId: string, text: string) => void;
  cancelEdit: (messageId: string) => void;
  remove: (messageId: string) => void;
  dismiss: (messageId: string) => void;
};

type Props = {
  message: ShownMessage;
  /** First / last bubble of a run from the same sender: rounder corners, spacing, the avatar. */
  groupStart: boolean;
  groupEnd: boolean;
  /** The inline editor is open on this message. */
  editing: boolean;
  actions: RowActions;
};

function StatusTick({ message }: { message: ShownMessage }) {
  if (message.status === 'pending' || message.change?.status === 'sending') {
    const label = message.status === 'pending' ? 'Sending' : 'Saving';
    return (
      <span className={styles.tick} role="img" aria-label={label} title={label}>
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

/** Why my edit or delete did not happen, in words for the user. */
function changeError(change: MessageChange): string {
  const what = change.kind === 'edit' ? 'Your edit was not saved' : 'The message was not deleted';
  const error: ProtocolError | null = change.error;
  if (error === null) return `${what}: the server did not answer. Try again.`;
  const why: Partial<Record<ProtocolError['code'], string>> = {
    forbidden: 'this message can no longer be changed',
    not_found: 'this message no longer exists',
    rate_limited: 'too many requests. Try again in a moment',
    too_large: 'the text is too long',
  };
  return `${what}: ${why[error.code] ?? error.message}.`;
}

/** Only my own sent text messages can be edited or deleted, and not while a delete is on its way. */
function changeable(message: ShownMessage): boolean {
  return message.is_mine && message.message_type === 'TEXT' && message.seq !== null && !message.deleted;
}

/**
 * One message. Its text is rendered as text (React escapes it). The time is drawn from a data
 * attribute by CSS so the element's text stays the message itself (plus "edited", "Message deleted",
 * "Retry" where they apply). My own sent messages offer Edit and Delete, shown on hover and on focus.
 */
export const MessageRow = memo(function MessageRow({ message, groupStart, groupEnd, editing, actions }: Props) {
  const row = useRef<HTMLDivElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(editing);

  // The editor closed (saved or cancelled) and took the focus with it: give it back to the actions.
  useEffect(() => {
    const closed = wasEditing.current && !editing;
    wasEditing.current = editing;
    if (!closed) return;
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (!lost) return;
    if (editButton.current) editButton.current.focus();
    else row.current?.closest<HTMLElement>('[role="log"]')?.focus();
  }, [editing]);

  const common = {
    'data-testid': 'message',
    'data-status': message.status,
    'data-mine': message.is_mine ? 'true' : 'false',
    'data-deleted': message.deleted ? 'true' : undefined,
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
  const refused = message.change?.status === 'refused' ? message.change : undefined;

  return (
    // tabIndex -1: a tap on a message focuses its row, which shows its actions where there is no hover.
    <div
      {...common}
      ref={row}
      className={classes}
      tabIndex={changeable(message) ? -1 : undefined}
      data-edited={message.edited_at !== null && !message.deleted ? 'true' : undefined}
      data-editing={editing || undefined}
    >
      {!mine &&
        (groupEnd ? (
          <Avatar name={message.sender_name} src={message.sender_avatar} size={28} className={styles.avatar} />
        ) : (
          <span className={styles.avatarGap} />
        ))}
      {editing ? (
        <MessageEditor
          initial={message.message_text}
          onSave={(text) => actions.save(message.id, text)}
          onCancel={() => actions.cancelEdit(message.id)}
        />
      ) : message.deleted ? (
        <div className={`${styles.bubble} ${styles.deleted}`}>
          <span className={styles.text}>
            <BlockedIcon size={15} className={styles.deletedIcon} />
            Message deleted
          </span>
          <span className={styles.meta}>{time}</span>
        </div>
      ) : (
        <div className={styles.bubble}>
          <span className={styles.text}>{message.message_text}</span>
          <span className={styles.meta}>
            {message.edited_at !== null && (
              <span className={styles.edited} title={`Edited ${formatFull(message.edited_at)}`}>
                edited
              </span>
            )}
            {time}
            {mine && <StatusTick message={message} />}
          </span>
          {changeable(message) && (
            <span className={styles.actions}>
              <button ref={editButton} type="button" className={styles.action} aria-label="Edit" title="Edit" onClick={() => actions.edit(message.id)}>
                <PencilIcon size={16} />
              </button>
              <button type="button" className={styles.action} aria-label="Delete" title="Delete" onClick={() => actions.remove(message.id)}>
                <TrashIcon size={16} />
              </button>
            </span>
          )}
        </div>
      )}
      {message.status === 'failed' && (
        <button type="button" className={styles.retry} onClick={() => actions.retry(message.client_id ?? message.id)}>
          Retry
        </button>
      )}
      {refused && (
        <p className={styles.changeError} role="alert">
          <span>{changeError(refused)}</span>
          <button type="button" className={styles.dismiss} aria-label="Dismiss" title="Dismiss" onClick={() => actions.dismiss(message.id)}>
            <CloseIcon size={14} />
          </button>
        </p>
      )}
    </div>
  );
});
