// The privacy scan every socket suite ends with (CONTRACT section 4): no frame carries another user's
// internal id, an email or a password hash. Senders and counterparts are known by name and avatar only.

const LEAKS: [what: string, pattern: RegExp][] = [
  ['an email', /@demo\.test|@example\.test|@bench\.test/],
  ['a password hash', /scrypt\$/],
  [
    'an internal field',
    /"(email|user_id|userId|sender_id|senderId|counterpart_?id|counterpartId|public_id|password\w*|\w*_hash|token\w*|session\w*)"\s*:/i,
  ],
];

/** What the frames reveal that they must not: empty when they are clean. */
export function privateDataIn(frames: readonly unknown[]): string[] {
  const text = JSON.stringify(frames);
  return LEAKS.flatMap(([what, pattern]) => {
    const found = pattern.exec(text);
    return found ? [`${what}: …${text.slice(Math.max(0, found.index - 80), found.index + 80)}…`] : [];
  });
}

/** The event names among the frames (as `receivedFrames` keeps them), to show what a scan covered. */
export function eventsIn(frames: readonly unknown[]): Set<string> {
  return new Set(frames.flatMap((f) => (typeof (f as { event?: unknown }).event === 'string' ? [(f as { event: string }).event] : [])));
}
