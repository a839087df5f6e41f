import { memo, useState } from 'react';
import type { SignedInUser } from '../../../protocol/user-header';
import { Avatar } from './Avatar';
import { ConnectionStatus } from './ConnectionStatus';
import { SignOutIcon } from './icons';
import styles from './TopBar.module.css';

type Props = {
  user: SignedInUser;
  /** After the server has ended the session (or failed to): erase what is kept, go to /login. */
  onSignedOut: () => Promise<void>;
};

export const TopBar = memo(function TopBar({ user, onSignedOut }: Props) {
  async function signOut() {
    try {
      await fetch('/api/session', { method: 'DELETE' });
    } catch {
      // Offline: what this browser keeps goes all the same.
    } finally {
      await onSignedOut();
    }
  }

  const [signingOut, setSigningOut] = useState(false);
  return (
    <header className={styles.bar}>
      <div className={styles.brand}>
        <img src="/icon.svg" alt="" width={28} height={28} />
        <span className={styles.name}>Stream Inbox</span>
      </div>
      <div className={styles.right}>
        <ConnectionStatus />
        <div className={styles.user} title={user.name}>
          <Avatar name={user.name} src={user.avatar} size={30} />
          <span className={styles.userName}>{user.name}</span>
        </div>
        <button
          type="button"
          className={styles.signOut}
          disabled={signingOut}
          onClick={() => {
            setSigningOut(true);
            void signOut();
          }}
        >
          <SignOutIcon size={16} />
          <span>Sign out</span>
        </button>
      </div>
    </header>
  );
});
