import type { Metadata } from 'next';
import { LoginForm } from './LoginForm';
import styles from './login.module.css';

export const metadata: Metadata = { title: 'Sign in · Stream Inbox' };

export default function LoginPage() {
  return (
    <main className={styles.page}>
      <div className={styles.card}>
        <div className={styles.brand}>
          <img src="/icon.svg" alt="" width={40} height={40} />
          <div>
            <h1 className={styles.title}>Stream Inbox</h1>
            <p className={styles.subtitle}>Talk with the people on your jobs, in real time.</p>
          </div>
        </div>
        <LoginForm />
      </div>
    </main>
  );
}
