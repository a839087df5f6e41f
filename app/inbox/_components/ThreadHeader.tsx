import { memo, useEffect, useId, useRef } from 'react';
import type { ConversationSummary, ProtocolError } from '../../../protocol';
import { markCompleteRequested, selectMarkCompleteRequest } from '../../../store';
import { useAppDispatch, useAppSelector } from '../../../store/hooks';
import { Avatar } from './Avatar';
import { BackIcon, BadgeCheckIcon } from './icons';
import { Presence } from './Presence';
import styles from './Thread.module.css';

type Props = {
  conversation: ConversationSummary | undefined;
  onBack: () => void;
  /** Gives the keyboard focus to the open thread. */
  onFocusThread: () => void;
};

function markedByMe({ my_role: role, job }: ConversationSummary): boolean {
  return role === 'CLIENT' ? job.clientMarkedComplete : job.workerMarkedComplete;
}

function jobNote(conversation: ConversationSummary): string | null {
  const { job, my_role: role, counterpart } = conversation;
  if (job.status === 'COMPLETED') return 'Both sides confirmed';
  const mine = markedByMe(conversation);
  const theirs = role === 'CLIENT' ? job.workerMarkedComplete : job.clientMarkedComplete;
  const first = counterpart.name.split(' ')[0] ?? counterpart.name;
  if (mine) return `Waiting for ${first} to confirm`;
  if (theirs) return `${first} marked it done`;
  return null;
}

/** Why "Mark complete" did not happen, in words for the user. */
function markCompleteError(error: ProtocolError | null): string {
  if (error === null) return 'The job was not marked complete: the server did not answer. Try again.';
  if (error.code === 'rate_limited') return 'The job was not marked complete: too many requests. Try again in a moment.';
  return `The job was not marked complete: ${error.message}.`;
}

/** Who I am talking with about which job, the job's status and my "Mark complete". */
export const ThreadHeader = memo(function ThreadHeader({ conversation, onBack, onFocusThread }: Props) {
  const dispatch = useAppDispatch();
  const request = useAppSelector((state) => (conversation ? selectMarkCompleteRequest(state, conversation.id) : undefined));
  const errorId = useId();
  const sending = request?.status === 'sending';
  const disabled = (conversation ? markedByMe(conversation) : false) || sending;
  // "Mark complete" disables itself while its request is on its way and once marked, which would drop the
  // focus on <body>: the thread, where the marking shows as a system message, takes it instead.
  const markingWithFocus = useRef<number | null>(null);
  const shownId = conversation?.id;
  useEffect(() => {
    if (!disabled || markingWithFocus.current !== shownId) return;
    markingWithFocus.current = null;
    onFocusThread();
  }, [disabled, shownId, onFocusThread]);
  const back = (
    <button type="button" className={styles.back} aria-label="Back to conversations" onClick={onBack}>
      <BackIcon size={20} />
    </button>
  );
  if (!conversation) {
    return (
      <header className={styles.header}>
        {back}
        <span className={styles.headerSkeleton} aria-hidden="true" />
      </header>
    );
  }

  const { id, job, my_role: role, counterpart } = conversation;
  const note = jobNote(conversation);
  const failed = request?.status === 'failed' ? request : undefined;
  return (
    <>
      <header className={styles.header}>
        {back}
        <Avatar
          name={counterpart.name}
          src={counterpart.avatar}
          size={40}
          className={styles.headerAvatar}
          online={counterpart.online}
        />
        <div className={styles.who}>
          <h2 className={styles.jobTitle}>{job.title}</h2>
          <p className={styles.counterpart}>
            <span className={styles.counterpartName}>{counterpart.name}</span>
            <span className={styles.role}>{role === 'CLIENT' ? 'Worker' : 'Client'}</span>
            <Presence counterpart={counterpart} />
          </p>
        </div>
        <div className={styles.job}>
          <div className={styles.jobState}>
            <span className={styles.badge} data-testid="job-status" data-status={job.status}>
              {job.status}
            </span>
            {note && <span className={styles.note}>{note}</span>}
          </div>
          <button
            type="button"
            className={styles.complete}
            disabled={disabled}
            aria-busy={sending || undefined}
            aria-describedby={failed ? errorId : undefined}
            onClick={(event) => {
              markingWithFocus.current = document.activeElement === event.currentTarget ? id : null;
              dispatch(markCompleteRequested({ conversationId: id }));
            }}
          >
            <BadgeCheckIcon size={16} />
            <span className="label-narrow-hidden">Mark complete</span>
          </button>
        </div>
      </header>
      {failed && (
        <p id={errorId} className={styles.jobError} role="alert">
          {markCompleteError(failed.error)}
        </p>
      )}
    </>
  );
});
