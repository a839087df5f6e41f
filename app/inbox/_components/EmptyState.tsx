import type { ReactNode } from 'react';
import styles from './EmptyState.module.css';
import { ChatIcon } from './icons';

type Props = { title?: string; children?: ReactNode };

/** The thread pane when no conversation is shown. */
export function EmptyState({
  title = 'Select a conversation',
  children = 'Pick a job on the left to see its messages and talk with the other side.',
}: Props) {
  return (
    <div className={styles.empty}>
      <div className={styles.art} aria-hidden="true">
        <ChatIcon size={40} strokeWidth={1.6} />
      </div>
      <h2>{title}</h2>
      <p>{children}</p>
    </div>
  );
}
