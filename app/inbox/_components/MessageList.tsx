import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import {
  conversationRead,
  messageChangeDismissed,
  messageDeleteRequested,
  messageEditRequested,
  messageRetried,
  olderMessagesRequested,
  selectConversation,
  selectThread,
} from '../../../store';
import { useAppDispatch, useAppSelector } from '../../../store/hooks';
import { DeleteDialog } from './DeleteDialog';
import { ArrowDownIcon } from './icons';
import { MessageRow, type RowActions } from './MessageRow';
import styles from './Thread.module.css';
import { buildThreadItems, highestSeq, lowestSeq, rowKey, type ThreadItem } from './threadItems';
import { boundsOf, drawnCount, extendDown, extendUp, NEWEST, TOP, WINDOW, type ThreadWindow } from './threadWindow';

/** Within this many pixels of the bottom the log counts as pinned there and follows new messages. */
const PIN_SLACK = 48;
/** Within this many pixels of the top the next page of older history is asked for. */
const OLDER_SLACK = 200;
const MESSAGE_ID = 'message';
/** How long after a long thread is left its older rows are taken down (after the switch's frame). */
const TRIM_DELAY_MS = 50;
/** Within this many pixels of the gap between the block and the newest rows, the block grows towards them. */
const GAP_SLACK = 200;

/** The first row the reader sees (its position is kept when rows above it come or go). */
function firstVisibleRow(log: HTMLElement): Element | null {
  const top = log.getBoundingClientRect().top;
  for (const row of log.querySelectorAll('[data-status]')) if (row.getBoundingClientRect().bottom > top) return row;
  return null;
}

/**
 * Only the shown thread's rows may answer `[data-testid="message"]`. A kept thread's rows lose the
 * attribute while it is hidden and get it back when it is shown: an attribute per row, instead of a
 * re-render of every row. (React leaves an attribute alone while its prop does not change.)
 */
function labelRows(log: HTMLElement, shown: boolean): void {
  if (shown) {
    for (const row of log.querySelectorAll('[data-status]:not([data-testid])')) row.setAttribute('data-testid', MESSAGE_ID);
  } else {
    for (const row of log.querySelectorAll('[data-testid]')) row.removeAttribute('data-testid');
  }
}

type Props = {
  conversationId: number;
  /** Shown now. A kept thread that is not shown stays rendered, hidden, with its layout cached. */
  active: boolean;
};

/**
 * One conversation's messages: a live log pinned to its newest end, paging older history in. Recently
 * shown threads stay mounted but hidden (`visibility: hidden` keeps their layout and scroll offset), so
 * going back to one is a switch of attributes, not a render of its rows.
 */
export const MessageList = memo(function MessageList({ conversationId, active }: Props) {
  const dispatch = useAppDispatch();
  const thread = useAppSelector((state) => selectThread(state, conversationId));
  const unread = useAppSelector((state) => selectConversation(state, conversationId)?.unread_count ?? 0);
  const counterpartName = useAppSelector((state) => selectConversation(state, conversationId)?.counterpart.name);
  const { messages, loaded, loading, loadingOlder, hasMore } = thread;
  // What is drawn of a long thread (threadWindow.ts): a block where the reader is, and the newest rows.
  const [win, setWin] = useState<ThreadWindow>(NEWEST);
  const keys = useMemo(() => messages.map(rowKey), [messages]);
  const bounds = useMemo(() => boundsOf(keys, win), [keys, win]);
  const { start: startIndex, end: endIndex, tail: tailIndex } = bounds;
  const block = useMemo(() => messages.slice(startIndex, endIndex), [messages, startIndex, endIndex]);
  const tail = useMemo(() => messages.slice(tailIndex), [messages, tailIndex]);
  const gapped = tail.length > 0;
  // One list, so that a row moving between the block and the newest rows stays the same element.
  const items = useMemo<DrawnItem[]>(
    () => (tail.length === 0 ? buildThreadItems(block) : [...buildThreadItems(block), GAP, ...buildThreadItems(tail)]),
    [block, tail],
  );

  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  /** `active`, for the resize observer: a hidden thread does not follow its newest end. */
  const shown = useRef(active);
  /** New messages came while hidden and pinned: go to the newest end when shown. */
  const bottomWhenShown = useRef(false);
  const edges = useRef<{ first?: string; last?: string; shape?: string }>({});
  const anchor = useRef<{ row: Element; top: number } | null>(null);
  const olderAskedFrom = useRef<number | null>(null);
  const [unseen, setUnseen] = useState(false);

  const firstKey = block[0] && rowKey(block[0]);
  const blockEnd = gapped ? rowKey(block[block.length - 1]!) : null;
  const historyVersion = useRowsAddedElsewhere(keys, startIndex, firstKey, blockEnd);
  useQuietWhileHistoryChanges(scroller, active, active && !loading && !loadingOlder, historyVersion);
  const lastMessage = messages[messages.length - 1];
  const lastKey = lastMessage && rowKey(lastMessage);
  // Where the drawn rows begin and break: history put above the rows on screen, or the block moved.
  const shape = `${firstKey}|${endIndex - startIndex}|${tailIndex}`;
  // Rows about to come or go above the ones on screen: note where the first row seen is, so the layout
  // effect can put it back there (read before React changes the DOM, as getSnapshotBeforeUpdate would).
  if (active && shape !== edges.current.shape && edges.current.first !== undefined && !anchor.current) {
    const row = scroller.current && firstVisibleRow(scroller.current);
    anchor.current = row ? { row, top: row.getBoundingClientRect().top } : null;
  }

  const oldest = lowestSeq(messages);
  const newest = highestSeq(messages);

  const askOlder = () => {
    if (!active || !loaded || !hasMore || loadingOlder || oldest === null || olderAskedFrom.current === oldest) return;
    olderAskedFrom.current = oldest;
    // The block starts at the first cached message from now on, so the page is drawn when it comes.
    setWin((w) => ({ start: TOP, end: w.end }));
    dispatch(olderMessagesRequested({ conversationId }));
  };

  /** The reader is near the top of what is drawn: draw more of the cache, or ask for older history. */
  const reachTop = () => {
    if (!active) return;
    const up = extendUp(keys, bounds);
    if (up === null) return askOlder();
    setWin(up);
  };

  /** Near the gap: from above, the block grows down towards the newest rows; from below, it is those. */
  const nearGap = (el: HTMLElement) => {
    const gap = el.querySelector('[data-gap]');
    if (!gap) return;
    const g = gap.getBoundingClientRect();
    const view = el.getBoundingClientRect();
    if (g.top > view.bottom + GAP_SLACK || g.bottom < view.top - GAP_SLACK) return;
    setWin(g.top < (view.top + view.bottom) / 2 ? NEWEST : extendDown(keys, bounds));
  };

  // Shown or hidden: the rows' test ids follow, and a thread that grew while hidden shows its end.
  useLayoutEffect(() => {
    const el = scroller.current;
    shown.current = active;
    if (!el) return;
    labelRows(el, active);
    if (active && bottomWhenShown.current) {
      bottomWhenShown.current = false;
      // In the frame that shows it, whose layout this read would otherwise force ahead of it.
      requestAnimationFrame(() => (el.scrollTop = el.scrollHeight));
    }
  }, [active]);

  // After every change of the messages, before paint: follow the newest end when pinned (or on a first
  // history, or when I just sent), keep the view still when older history was put above it, else
  // offer the pill.
  useLayoutEffect(() => {
    const el = scroller.current;
    const kept = anchor.current;
    anchor.current = null;
    const previous = edges.current;
    edges.current = { first: firstKey, last: lastKey, shape };
    if (!el) return;
    const fresh = previous.last === undefined;
    const appended = lastKey !== previous.last && !fresh;
    const toNewest = fresh || pinned.current || (appended && lastMessage?.is_mine && lastMessage.seq === null);
    if (!active) {
      labelRows(el, false);
      if (toNewest) bottomWhenShown.current = pinned.current = true;
      else if (appended) setUnseen(true);
      return;
    }
    if (toNewest) {
      el.scrollTop = el.scrollHeight;
      pinned.current = true;
      setUnseen(false);
    } else if (kept && !appended && kept.row.isConnected) {
      el.scrollTop += kept.row.getBoundingClientRect().top - kept.top;
    } else if (appended) {
      setUnseen(true);
    }
    if (el.scrollTop < OLDER_SLACK) reachTop();
  }, [items]);

  // A long thread left is drawn again from its newest rows in a task of its own after the switch's frame
  // (hidden, it is not painted). It comes back at its newest end, laying out WINDOW rows.
  const leftLong = !active && drawnCount(bounds, messages.length) > WINDOW;
  useEffect(() => {
    if (!leftLong) return;
    bottomWhenShown.current = pinned.current = true;
    const timer = setTimeout(() => setWin(NEWEST), TRIM_DELAY_MS);
    return () => clearTimeout(timer);
  }, [leftLong]);

  // Keep the newest message in view while pinned, whatever changes the sizes (composer, window).
  useEffect(() => {
    const el = scroller.current;
    const content = el?.firstElementChild;
    if (!el || !content) return;
    const observer = new ResizeObserver(() => {
      if (shown.current && pinned.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    observer.observe(content);
    return () => observer.disconnect();
  }, []);

  // Seen = shown here while the page is visible: tell the other side up to the newest shown.
  useEffect(() => {
    if (!active || unread === 0 || newest === null) return;
    const markSeen = () => {
      if (document.visibilityState === 'visible') {
        dispatch(conversationRead({ conversationId, upToSeq: newest }));
      }
    };
    markSeen();
    document.addEventListener('visibilitychange', markSeen);
    return () => document.removeEventListener('visibilitychange', markSeen);
  }, [dispatch, conversationId, active, unread, newest]);

  function onScroll() {
    const el = scroller.current;
    if (!el || !active) return;
    pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < PIN_SLACK;
    if (pinned.current) setUnseen(false);
    // Reading above the newest end of a long thread: what is drawn stops moving with new messages.
    if (!pinned.current && win.start === null && startIndex > 0) setWin({ start: keys[startIndex]!, end: null });
    // Back at the newest end: the newest WINDOW rows again (one block, if there was a gap).
    if (pinned.current && win.start !== null && drawnCount(bounds, messages.length) > WINDOW) setWin(NEWEST);
    if (el.scrollTop < OLDER_SLACK) reachTop();
    else nearGap(el);
  }

  function jumpToNewest() {
    const el = scroller.current;
    if (!el) return;
    if (gapped) setWin(NEWEST);
    pinned.current = true;
    setUnseen(false);
    el.scrollTop = el.scrollHeight;
  }

  // Edit and delete: one editor at a time; a delete asks first. Leaving the thread closes both.
  const [editingId, setEditingId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<{ messageId: string; returnTo: HTMLElement | null } | null>(null);
  if (!active && (editingId !== null || confirming !== null)) {
    setEditingId(null);
    setConfirming(null);
  }
  const focusLog = useCallback(() => scroller.current?.focus({ preventScroll: true }), []);
  const actions = useMemo<RowActions>(
    () => ({
      retry: (clientId) => {
        // The Retry button goes away with the failure: keep the keyboard focus in the thread, not on <body>.
        const el = scroller.current;
        if (el?.contains(document.activeElement)) el.focus({ preventScroll: true });
        dispatch(messageRetried({ conversationId, clientId }));
      },
      edit: (messageId) => setEditingId(messageId),
      save: (messageId, text) => {
        dispatch(messageEditRequested({ conversationId, messageId, text }));
        setEditingId(null);
      },
      cancelEdit: () => setEditingId(null),
      remove: (messageId) => {
        setEditingId(null);
        const focused = document.activeElement;
        setConfirming({ messageId, returnTo: focused instanceof HTMLElement ? focused : null });
      },
      dismiss: (messageId) => {
        focusLog(); // the alert and its button go
        dispatch(messageChangeDismissed({ conversationId, messageId }));
      },
    }),
    [dispatch, conversationId, focusLog],
  );
  // Where the focus goes once the dialog has closed (nothing outside a modal dialog can take it before).
  const afterDialog = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (confirming !== null || afterDialog.current === null) return;
    const target = afterDialog.current;
    afterDialog.current = null;
    if (target.isConnected) target.focus({ preventScroll: true });
    else focusLog();
  }, [confirming, focusLog]);
  const confirmDelete = () => {
    if (confirming === null) return;
    dispatch(messageDeleteRequested({ conversationId, messageId: confirming.messageId }));
    afterDialog.current = scroller.current; // the message's actions are gone with its text
    setConfirming(null);
  };
  const cancelDelete = () => {
    afterDialog.current = confirming?.returnTo ?? scroller.current;
    setConfirming(null);
  };

  return (
    <div className={styles.logSlot} data-active={active || undefined} inert={!active}>
      <div
        ref={scroller}
        className={styles.log}
        data-testid={active ? 'thread' : undefined}
        role={active ? 'log' : undefined}
        aria-label={counterpartName ? `Chat with ${counterpartName}` : 'Chat'}
        data-conversation-id={conversationId}
        tabIndex={active ? 0 : -1}
        onScroll={onScroll}
      >
        <div className={styles.content}>
          {loaded && !hasMore && messages.length > 0 && startIndex === 0 && (
            <p className={styles.beginning}>Beginning of the conversation</p>
          )}
          {loadingOlder && (
            <p className={styles.older}>
              <span className={styles.spinner} aria-hidden="true" />
              Loading earlier messages…
            </p>
          )}
          {loading && <ThreadLoading shown={active} />}
          {loaded && messages.length === 0 && (
            <p className={styles.beginning}>No messages yet. Say hello!</p>
          )}
          <Rows items={items} editingId={editingId} actions={actions} />
        </div>
      </div>
      {unseen && (
        <button type="button" className={styles.pill} onClick={jumpToNewest}>
          New messages <ArrowDownIcon size={15} />
        </button>
      )}
      {confirming && <DeleteDialog onConfirm={confirmDelete} onCancel={cancelDelete} />}
    </div>
  );
});

/** What the log draws: the thread's items, and where a long thread's block and its newest rows part. */
type DrawnItem = ThreadItem | { kind: 'gap'; key: string };
const GAP: DrawnItem = { kind: 'gap', key: 'gap' };

type RowsProps = { items: DrawnItem[]; editingId: string | null; actions: RowActions };

/**
 * The rows, apart from the log around them: showing or hiding a kept thread changes the log's attributes
 * only, and React does not walk its rows (a walk of every row's element on each switch, for both
 * threads, grows with the thread: bench figure 1).
 */
const Rows = memo(function Rows({ items, editingId, actions }: RowsProps) {
  return items.map((item) =>
    item.kind === 'gap' ? (
      <p key={item.key} className={styles.older} data-gap>
        Newer messages below
      </p>
    ) : item.kind === 'day' ? (
      <div key={item.key} className={styles.day}>
        <span>{item.label}</span>
      </div>
    ) : (
      <MessageRow
        key={item.key}
        message={item.message}
        groupStart={item.groupStart}
        groupEnd={item.groupEnd}
        editing={item.message.id === editingId}
        actions={actions}
      />
    ),
  );
});

/**
 * A number that changes when rows are drawn anywhere but after the newest one: above the first row drawn
 * (history paged in, or drawn from the cache), or between a long thread's block and its newest rows. The
 * block sliding down as new messages arrive (its first row dropped) is not such a change: those new
 * messages are read out.
 */
function useRowsAddedElsewhere(keys: readonly string[], startIndex: number, firstKey: string | undefined, blockEnd: string | null): number {
  const seen = useRef({ version: 0, first: firstKey, blockEnd });
  const last = seen.current;
  if (last.first !== firstKey || last.blockEnd !== blockEnd) {
    const was = last.first === undefined ? -1 : keys.indexOf(last.first);
    const above = last.first !== firstKey && (was < 0 || was > startIndex);
    const between = last.blockEnd !== blockEnd;
    seen.current = { version: last.version + (above || between ? 1 : 0), first: firstKey, blockEnd };
  }
  return seen.current.version;
}

/**
 * Whether the shown log announces what is added to it. A log is polite (screen readers read each new
 * message), but rows that are not new messages must not be read out: a first history, a page of older
 * history put in above, a cache replaced, a kept thread shown again. So the log is `aria-live="off"`
 * while history is on its way (`steady` false) and from the commit whose first row changed, and turns
 * polite two frames later, once the browser has built its accessibility tree from those rows. The
 * attribute is set on the element directly (as the row labels are), so this costs no React render.
 */
function useQuietWhileHistoryChanges(
  log: RefObject<HTMLElement | null>,
  active: boolean,
  steady: boolean,
  historyVersion: number,
): void {
  useLayoutEffect(() => {
    const el = log.current;
    if (!el) return;
    if (!active) return void el.removeAttribute('aria-live');
    el.setAttribute('aria-live', 'off');
    if (!steady) return;
    let second = 0;
    const first = requestAnimationFrame(() => {
      second = requestAnimationFrame(() => el.setAttribute('aria-live', 'polite'));
    });
    return () => {
      cancelAnimationFrame(first);
      cancelAnimationFrame(second);
    };
  }, [log, active, steady, historyVersion]);
}

/** Placeholder bubbles while a conversation's first history is on its way. */
function ThreadLoading({ shown }: { shown: boolean }) {
  return (
    <div data-testid={shown ? 'thread-loading' : undefined} className={styles.loading} role="status">
      <span className="visually-hidden">Loading the conversation</span>
      <span className={`${styles.ghost} ${styles.ghostTheirs}`} style={{ width: '46%' }} />
      <span className={`${styles.ghost} ${styles.ghostTheirs}`} style={{ width: '30%' }} />
      <span className={`${styles.ghost} ${styles.ghostMine}`} style={{ width: '38%' }} />
      <span className={`${styles.ghost} ${styles.ghostTheirs}`} style={{ width: '52%' }} />
      <span className={`${styles.ghost} ${styles.ghostMine}`} style={{ width: '26%' }} />
    </div>
  );
}
