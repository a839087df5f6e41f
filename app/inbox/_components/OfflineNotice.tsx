import { selectConnectionState } from '../../../store';
import { useAppSelector } from '../../../store/hooks';
import styles from './Thread.module.css';

/** While the socket is down, say what happens to what the user writes. */
export function OfflineNotice() {
  const offline = useAppSelector(selectConnectionState) === 'disconnected';
  if (!offline) return null;
  return (
    <p className={styles.offline}>
      You are offline. New messages wait here and go out as soon as the connection is back.
    </p>
  );
}
