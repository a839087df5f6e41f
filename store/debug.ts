// The cache-event lines of CONTRACT section 6, printed only when asked for: `debug: true` given to
// makeStore or localStorage["stream-debug"] === "1" (read at each line, so it can be switched on live).
export type DebugLog = (line: string) => void;

function flagSet(): boolean {
  try {
    return globalThis.localStorage?.getItem('stream-debug') === '1';
  } catch {
    return false; // storage blocked (privacy settings): stay quiet
  }
}

export function createDebugLog(forced = false): DebugLog {
  return (line) => {
    if (forced || flagSet()) console.log(`[Stream Controller] ${line}`);
  };
}
