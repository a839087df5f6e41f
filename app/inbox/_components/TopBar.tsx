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
      {/* The page's h1, named by the logo: the words beside it give way on the narrowest phones. */}
      <h1 className={styles.brand}>
        <img src="/icon.svg" alt="Stream Inbox" width={28} height={28} />
        <span className={styles.name} aria-hidden="true">
          Stream Inbox
        </span>
      </h1>
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
