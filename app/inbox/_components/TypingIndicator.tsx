import { selectTyping } from '../../../store';
import { useAppSelector } from '../../../store/hooks';
import styles from './Thread.module.css';

/**
 * "{name} is typing…" over the bottom of the open thread. A polite live region that is always there,
 * so screen readers hear the line when it appears (its words change only when someone starts or
 * stops, never per keystroke or per `typing` frame).
 */
export function TypingIndicator({ name }: { name: string | undefined }) {
  return (
    <div className={styles.typingLine} role="status" aria-live="polite" aria-atomic="true">
      {name !== undefined && (
        <span className={styles.typing} data-testid="typing">
          <span className={styles.dots} aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {name} is typing…
        </span>
      )}
    </div>
  );
}

/** Who is typing in this conversation, if anyone. */
export const useTyping = (conversationId: number): string | undefined =>
  useAppSelector((state) => selectTyping(state, conversationId));
