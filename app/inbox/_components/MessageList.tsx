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

/** Within this many pixels of the bottom the log counts as pinned there and follows new messages. */
const PIN_SLACK = 48;
/** Within this many pixels of the top the next page of older history is asked for. */
const OLDER_SLACK = 200;
const MESSAGE_ID = 'message';
/**
 * A thread of up to this many messages draws every one; a longer one draws its newest this many until the
 * reader scrolls up (CONTRACT section 5), so that showing it again restyles as many rows as a short one.
 */
const WINDOW = 200;
/** Rows drawn above at a time once the reader reaches the top of what is drawn. */
const EXTEND = 100;
/** How long after a long thread is left its older rows are taken down (after the switch's frame). */
const TRIM_DELAY_MS = 50;
/** What is drawn: the newest WINDOW messages (null), from the message with this row key on, or all (TOP). */
type WindowStart = string | null;
const TOP = 'top';

function windowIndex(messages: readonly { seq: number | null }[], keys: (i: number) => string, start: WindowStart): number {
  if (start === TOP || messages.length <= WINDOW) return 0;
  if (start !== null) {
    for (let i = 0; i < messages.length; i++) if (keys(i) === start) return i;
  }
  // The newest WINDOW, also when the message it started from is gone (a cache replaced by the latest page).
  return messages.length - WINDOW;
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
  const [windowStart, setWindowStart] = useState<WindowStart>(null);
  const startIndex = useMemo(() => windowIndex(messages, (i) => rowKey(messages[i]!), windowStart), [messages, windowStart]);
  const drawn = useMemo(() => (startIndex === 0 ? messages : messages.slice(startIndex)), [messages, startIndex]);
  const items = useMemo(() => buildThreadItems(drawn), [drawn]);

  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  /** `active`, for the resize observer: a hidden thread does not follow its newest end. */
  const shown = useRef(active);
  /** New messages came while hidden and pinned: go to the newest end when shown. */
  const bottomWhenShown = useRef(false);
  const edges = useRef<{ first?: string; last?: string }>({});
  const anchor = useRef<{ row: Element; top: number } | null>(null);
  const olderAskedFrom = useRef<number | null>(null);
  const [unseen, setUnseen] = useState(false);

  const firstKey = drawn[0] && rowKey(drawn[0]);
  useQuietWhileHistoryChanges(scroller, active, active && !loading && !loadingOlder, firstKey);
  const lastMessage = drawn[drawn.length - 1];
  const lastKey = lastMessage && rowKey(lastMessage);
  // History about to be put above the rows on screen: note where the current first row is, so the
  // layout effect can put it back there (read before React changes the DOM, as
  // getSnapshotBeforeUpdate would).
  if (active && firstKey !== edges.current.first && edges.current.first !== undefined && !anchor.current) {
    const row = scroller.current?.querySelector('[data-status]');
    anchor.current = row ? { row, top: row.getBoundingClientRect().top } : null;
  }

  const oldest = lowestSeq(messages);
  const newest = highestSeq(messages);

  const askOlder = () => {
    if (!active || !loaded || !hasMore || loadingOlder || oldest === null || olderAskedFrom.current === oldest) return;
    olderAskedFrom.current = oldest;
    // Everything from the top is drawn from now on, so the page is drawn when it comes.
    setWindowStart(TOP);
    dispatch(olderMessagesRequested({ conversationId }));
  };

  /** The reader is near the top of what is drawn: draw more of the cache, or ask for older history. */
  const reachTop = () => {
    if (!active) return;
    if (startIndex === 0) return askOlder();
    setWindowStart(startIndex <= EXTEND ? TOP : rowKey(messages[startIndex - EXTEND]!));
  };

  // Shown or hidden: the rows' test ids follow, and a thread that grew while hidden shows its end.
  useLayoutEffect(() => {
    const el = scroller.current;
    shown.current = active;
    if (!el) return;
    labelRows(el, active);
    if (active && bottomWhenShown.current) {
      bottomWhenShown.current = false;
      el.scrollTop = el.scrollHeight;
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
    edges.current = { first: firstKey, last: lastKey };
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
  }, [drawn]);

  // A long thread left is taken out of the page's layout at once (`display: none`: hiding its rows one by
  // one would restyle each of them), then drawn again from its newest rows in a task of its own after
  // the switch's frame. It comes back at its newest end, restyling WINDOW rows.
  const collapsed = !active && drawn.length > WINDOW;
  useEffect(() => {
    if (!collapsed) return;
    bottomWhenShown.current = pinned.current = true;
    const timer = setTimeout(() => setWindowStart(null), TRIM_DELAY_MS);
    return () => clearTimeout(timer);
  }, [collapsed]);

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
    if (!pinned.current && windowStart === null && startIndex > 0) setWindowStart(rowKey(messages[startIndex]!));
    if (el.scrollTop < OLDER_SLACK) reachTop();
  }

  function jumpToNewest() {
    const el = scroller.current;
    if (!el) return;
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
    <div className={styles.logSlot} data-active={active || undefined} data-collapsed={collapsed || undefined} inert={!active}>
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

type RowsProps = { items: ThreadItem[]; editingId: string | null; actions: RowActions };

/**
 * The rows, apart from the log around them: showing or hiding a kept thread changes the log's attributes
 * only, and React does not walk its rows (a walk of every row's element on each switch, for both
 * threads, grows with the thread: bench figure 1).
 */
const Rows = memo(function Rows({ items, editingId, actions }: RowsProps) {
  return items.map((item) =>
    item.kind === 'day' ? (
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
  firstKey: string | undefined,
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
  }, [log, active, steady, firstKey]);
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
