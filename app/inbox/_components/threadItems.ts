// Turns a thread's messages into what the log draws: day separators and runs of bubbles.
import type { ThreadMessage } from '../../../store';
import { dayKey, formatDay, withinMinutes } from './format';

export type ThreadItem =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'message'; key: string; message: ThreadMessage; groupStart: boolean; groupEnd: boolean };

/** Bubbles closer than this, from the same sender, form one run. */
const RUN_MINUTES = 5;

/**
 * A row's React key: my messages by their client_id, so the optimistic copy and the acked message are
 * one row (updated in place, not remounted); everything else by its id.
 */
export function rowKey(message: ThreadMessage): string {
  if (message.is_mine && message.client_id) return `c:${message.client_id}`;
  return message.seq === null ? `c:${message.id}` : `i:${message.id}`;
}

function sameRun(a: ThreadMessage | undefined, b: ThreadMessage | undefined): boolean {
  if (!a || !b || a.message_type !== 'TEXT' || b.message_type !== 'TEXT') return false;
  if (a.is_mine !== b.is_mine || (!a.is_mine && a.sender_name !== b.sender_name)) return false;
  return dayKey(a.created_at) === dayKey(b.created_at) && withinMinutes(a.created_at, b.created_at, RUN_MINUTES);
}

export function buildThreadItems(messages: readonly ThreadMessage[], now = new Date()): ThreadItem[] {
  const items: ThreadItem[] = [];
  let previousDay: string | null = null;
  messages.forEach((message, i) => {
    const key = rowKey(message);
    const day = dayKey(message.created_at);
    if (day !== previousDay) {
      items.push({ kind: 'day', key: `day:${key}`, label: formatDay(message.created_at, now) });
      previousDay = day;
    }
    items.push({
      kind: 'message',
      key,
      message,
      groupStart: !sameRun(messages[i - 1], message),
      groupEnd: !sameRun(message, messages[i + 1]),
    });
  });
  return items;
}

/** The highest seq the thread shows (optimistic messages have none). */
export function highestSeq(messages: readonly ThreadMessage[]): number | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const seq = messages[i]?.seq;
    if (seq != null) return seq;
  }
  return null;
}

/** The lowest seq the thread shows: where older history continues from. */
export function lowestSeq(messages: readonly ThreadMessage[]): number | null {
  for (const message of messages) if (message.seq != null) return message.seq;
  return null;
}
