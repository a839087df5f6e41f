import { memo } from 'react';
import { selectConnectionState } from '../../../store';
import { useAppSelector } from '../../../store/hooks';
import styles from './ConnectionStatus.module.css';

const WORDS = { connecting: 'Connecting…', connected: 'Connected', disconnected: 'Offline' } as const;

export const ConnectionStatus = memo(function ConnectionStatus() {
  const state = useAppSelector(selectConnectionState);
  return (
    <span className={styles.status} data-testid="connection-status" data-state={state} role="status">
      <span className={styles.dot} aria-hidden="true" />
      {WORDS[state]}
    </span>
  );
});
