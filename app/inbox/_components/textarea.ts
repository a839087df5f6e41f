// What the composer and the message editor share: a textarea that grows with its text, and Enter.
import { useLayoutEffect, type KeyboardEvent, type RefObject } from 'react';

/** Grows the textarea with its text up to `maxHeight`, then it scrolls. */
export function useAutosize(field: RefObject<HTMLTextAreaElement | null>, text: string, maxHeight: number): void {
  useLayoutEffect(() => {
    const el = field.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, maxHeight)}px`;
  }, [field, text, maxHeight]);
}

/** Enter submits; Shift+Enter (and Enter while an IME composes) is a new line. */
export function isSubmitKey(event: KeyboardEvent<HTMLTextAreaElement>): boolean {
  return event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing;
}
