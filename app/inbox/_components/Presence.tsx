import { useEffect, useState } from 'react';
import type { Counterpart } from '../../../protocol';
import { formatLastSeen } from './format';
import styles from './Thread.module.css';

/** "Last seen 5 minutes ago" grows stale: read the clock again this often while it is shown. */
const TICK_MS = 30_000;

function useNow(ticking: boolean): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!ticking) return;
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), TICK_MS);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

/** Whether the person on the other side is here: "Online", or when they were last seen. */
export function Presence({ counterpart }: { counterpart: Counterpart }) {
  const { online, last_seen_at: lastSeen } = counterpart;
  const now = useNow(!online && lastSeen !== null);
  return (
    <span className={styles.presence} data-testid="presence" data-state={online ? 'online' : 'offline'}>
      {online ? 'Online' : formatLastSeen(lastSeen, now)}
    </span>
  );
}
