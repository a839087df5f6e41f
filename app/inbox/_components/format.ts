// Dates as a messenger shows them, in the reader's own time zone.

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const dayThisYear = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const dayOtherYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

const DAY_MS = 86_400_000;

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Whole calendar days between the two dates (0 = same day, 1 = yesterday …). */
function daysAgo(date: Date, now: Date): number {
  return Math.round((startOfDay(now) - startOfDay(date)) / DAY_MS);
}

/** HH:MM, 24-hour. */
export function formatTime(iso: string): string {
  return time.format(new Date(iso));
}

/** For a tooltip: the full date and time. */
export function formatFull(iso: string): string {
  return full.format(new Date(iso));
}

/** A key that changes exactly when the local calendar day does. */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** The label of a day separator: "Today", "Yesterday", or the date. */
export function formatDay(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const ago = daysAgo(date, now);
  if (ago === 0) return 'Today';
  if (ago === 1) return 'Yesterday';
  return date.getFullYear() === now.getFullYear() ? dayThisYear.format(date) : dayOtherYear.format(date);
}

/** The time beside a conversation in the list: the time today, else the day, else the date. */
export function formatListTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const ago = daysAgo(date, now);
  if (ago <= 0) return time.format(date);
  if (ago === 1) return 'Yesterday';
  if (ago < 7) return weekday.format(date);
  return shortDate.format(date);
}

/** Whether two messages were sent close enough together to share one bubble group. */
export function withinMinutes(a: string, b: string, minutes: number): boolean {
  return Math.abs(new Date(a).getTime() - new Date(b).getTime()) <= minutes * 60_000;
}

const MINUTE_MS = 60_000;
const weekdayLong = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long' });

/**
 * When someone offline was last here, in a messenger's words: "Last seen just now", "… 5 minutes ago",
 * "… today at 14:05", "… yesterday at 14:05", "… on Monday at 14:05", "… on 3 March at 14:05" (with the
 * year when it is another one). Never seen: "Last seen a long time ago".
 */
export function formatLastSeen(iso: string | null, now = new Date()): string {
  if (iso === null) return 'Last seen a long time ago';
  const date = new Date(iso);
  const minutes = Math.floor((now.getTime() - date.getTime()) / MINUTE_MS);
  if (minutes < 1) return 'Last seen just now';
  if (minutes < 60) return `Last seen ${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const at = time.format(date);
  const ago = daysAgo(date, now);
  if (ago === 0) return `Last seen today at ${at}`;
  if (ago === 1) return `Last seen yesterday at ${at}`;
  if (ago < 7) return `Last seen on ${weekdayLong.format(date)} at ${at}`;
  const day = date.getFullYear() === now.getFullYear() ? dayMonth.format(date) : dayOtherYear.format(date);
  return `Last seen on ${day} at ${at}`;
}
