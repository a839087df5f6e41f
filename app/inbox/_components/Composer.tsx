import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { checkMessageText } from '../../../protocol/text';
import { LIMITS } from '../../../protocol/types';
import { composerTyped, messageQueued } from '../../../store';
import { useAppDispatch } from '../../../store/hooks';
import styles from './Composer.module.css';
import { SendIcon } from './icons';
import { isSubmitKey, useAutosize } from './textarea';

/** The textarea grows with its text up to this height, then scrolls. */
const MAX_HEIGHT = 160;
/** From this many characters on, the remaining count is shown. */
const COUNT_FROM = LIMITS.messageMaxChars - 500;

/** One composer for whichever conversation is open; each keeps its unsent draft while the page lives. */
export function Composer({ conversationId }: { conversationId: number }) {
  const dispatch = useAppDispatch();
  const [drafts] = useState(() => new Map<number, string>());
  const [text, setText] = useState('');
  const [draftOf, setDraftOf] = useState(conversationId);
  if (draftOf !== conversationId) {
    setDraftOf(conversationId);
    setText(drafts.get(conversationId) ?? '');
  }
  const field = useRef<HTMLTextAreaElement>(null);
  const counterId = useId();
  const checked = checkMessageText(text);
  const length = text.trim().length;

  // A conversation that opens is ready to be typed in.
  useEffect(() => {
    if (document.activeElement !== field.current) field.current?.focus({ preventScroll: true });
  }, [conversationId]);

  useAutosize(field, text, MAX_HEIGHT);

  function change(value: string) {
    setText(value);
    if (value) drafts.set(conversationId, value);
    else drafts.delete(conversationId);
  }

  function type(value: string) {
    change(value);
    // The store tells the other side, at most once every few seconds; an empty composer tells nothing.
    if (value.trim()) dispatch(composerTyped({ conversationId }));
  }

  function send() {
    if (!checked.ok) return;
    dispatch(messageQueued({ conversationId, text: checked.data }));
    change('');
    field.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (!isSubmitKey(event)) return;
    event.preventDefault();
    send();
  }

  return (
    <form
      className={styles.composer}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <div className={styles.field}>
        <textarea
          ref={field}
          className={styles.input}
          aria-label="Message"
          aria-describedby={length >= COUNT_FROM ? counterId : undefined}
          placeholder="Write a message…"
          rows={1}
          value={text}
          enterKeyHint="send"
          onChange={(event) => type(event.target.value)}
          onKeyDown={onKeyDown}
        />
        {length >= COUNT_FROM && (
          <span
            id={counterId}
            className={styles.counter}
            data-over={length > LIMITS.messageMaxChars || undefined}
          >
            {LIMITS.messageMaxChars - length}
          </span>
        )}
      </div>
      <button type="submit" className={styles.send} disabled={!checked.ok}>
        <SendIcon size={18} />
        <span className="label-narrow-hidden">Send</span>
      </button>
    </form>
  );
}
