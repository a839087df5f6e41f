import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { checkMessageText } from '../../../protocol/text';
import { isSubmitKey, useAutosize } from './textarea';
import styles from './Thread.module.css';

type Props = {
  /** The text as the message shows it now. */
  initial: string;
  onSave: (text: string) => void;
  onCancel: () => void;
};

/** The editor grows with its text up to this height, then scrolls. */
const MAX_HEIGHT = 220;

/**
 * Editing one of my messages in place: the editor holds its text and takes the focus with the caret at
 * the end. Enter saves, Shift+Enter is a new line, Escape cancels.
 */
export function MessageEditor({ initial, onSave, onCancel }: Props) {
  const [text, setText] = useState(initial);
  const field = useRef<HTMLTextAreaElement>(null);
  const hintId = useId();
  const checked = checkMessageText(text);

  useLayoutEffect(() => {
    const el = field.current;
    if (!el) return;
    el.focus({ preventScroll: true });
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);

  useAutosize(field, text, MAX_HEIGHT);

  function save() {
    if (checked.ok) onSave(checked.data);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    } else if (isSubmitKey(event)) {
      event.preventDefault();
      save();
    }
  }

  return (
    <form
      className={styles.editor}
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <textarea
        ref={field}
        className={styles.editorInput}
        aria-label="Edit text"
        aria-describedby={hintId}
        rows={1}
        value={text}
        enterKeyHint="done"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className={styles.editorBar}>
        <span id={hintId} className={styles.editorHint}>
          Enter to save · Esc to cancel
        </span>
        <button type="button" className={styles.editorCancel} onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className={styles.editorSave} disabled={!checked.ok}>
          Save
        </button>
      </div>
    </form>
  );
}
