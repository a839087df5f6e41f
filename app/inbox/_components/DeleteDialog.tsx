import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import styles from './Thread.module.css';

type Props = { onConfirm: () => void; onCancel: () => void };

/**
 * "Delete message?", asked once: a modal <dialog> (the rest of the page is inert), labelled by its title
 * and described by what deleting does. Delete has the focus (the user has just chosen it); Tab and
 * Shift+Tab stay inside; Escape, Cancel or a click beside it cancel.
 */
export function DeleteDialog({ onConfirm, onCancel }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const textId = useId();

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal?.();
    confirm.current?.focus();
    return () => el?.close?.();
  }, []);

  function trapTab(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== 'Tab') return;
    const buttons = [...(dialog.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const first = buttons[0];
    const last = buttons.at(-1);
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <dialog
      ref={dialog}
      className={styles.dialog}
      aria-labelledby={titleId}
      aria-describedby={textId}
      onKeyDown={trapTab}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
      onClick={(event) => {
        if (event.target === dialog.current) onCancel(); // the backdrop
      }}
    >
      <div className={styles.dialogBody}>
        <h2 id={titleId} className={styles.dialogTitle}>
          Delete message?
        </h2>
        <p id={textId} className={styles.dialogText}>
          It will be removed for both of you. This cannot be undone.
        </p>
        <div className={styles.dialogActions}>
          <button type="button" className={styles.dialogCancel} onClick={onCancel}>
            Cancel
          </button>
          <button ref={confirm} type="button" className={styles.dialogDelete} onClick={onConfirm}>
            Delete
          </button>
        </div>
      </div>
    </dialog>
  );
}
