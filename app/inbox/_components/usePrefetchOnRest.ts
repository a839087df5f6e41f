import { useMemo, useRef, type FocusEvent, type PointerEvent } from 'react';
import { conversationIdFromPath } from './route';

/** How long the pointer must rest on a conversation's link before its history is loaded (CONTRACT section 7). */
const REST_MS = 150;

type Rest = { timer: ReturnType<typeof setTimeout> | null; x: number | null; y: number | null };

function conversationOf(target: EventTarget | null): { link: HTMLAnchorElement; id: number } | null {
  const link = target instanceof Element ? target.closest('a[href^="/inbox/"]') : null;
  if (!(link instanceof HTMLAnchorElement)) return null;
  const id = conversationIdFromPath(link.pathname);
  return id === null ? null : { link, id };
}

/**
 * Handlers for the conversation list (delegated, one timer for the list): a pointer that moved onto a
 * conversation's link and rests there, or a keyboard focus on it, prefetches it. A pointer that did not
 * move (the list re-ordered under it) prefetches nothing, and a press cancels the rest: a click without
 * a rest opens the conversation the ordinary way. Whether there is anything to load is the store's call.
 */
export function usePrefetchOnRest(prefetch: (conversationId: number) => void) {
  const rest = useRef<Rest>({ timer: null, x: null, y: null });
  return useMemo(() => {
    const cancel = () => {
      if (rest.current.timer !== null) clearTimeout(rest.current.timer);
      rest.current.timer = null;
    };
    return {
      onPointerMove(event: PointerEvent) {
        if (event.pointerType === 'touch') return;
        const r = rest.current;
        if (r.x === event.clientX && r.y === event.clientY) return; // not a movement of the pointer
        r.x = event.clientX;
        r.y = event.clientY;
        cancel();
        const target = conversationOf(event.target);
        if (target === null) return;
        const { x, y } = r;
        r.timer = setTimeout(() => {
          r.timer = null;
          // Still under the pointer: a list that re-ordered meanwhile has moved it away.
          if (target.link.isConnected && target.link.contains(document.elementFromPoint(x, y))) prefetch(target.id);
        }, REST_MS);
      },
      onPointerLeave: cancel,
      onPointerDown: cancel,
      onFocus(event: FocusEvent) {
        const target = conversationOf(event.target);
        if (target !== null && target.link.matches(':focus-visible')) prefetch(target.id);
      },
    };
  }, [prefetch]);
}
