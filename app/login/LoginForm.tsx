'use client';

import { useState, type FormEvent, type InputHTMLAttributes } from 'react';
import styles from './login.module.css';

const DEMO_ACCOUNTS = [
  { email: 'client@demo.test', who: 'Casey, client' },
  { email: 'worker@demo.test', who: 'Wes, worker' },
  { email: 'worker2@demo.test', who: 'Wren, worker' },
] as const;
const DEMO_PASSWORD = 'demo1234';

async function errorOf(res: Response): Promise<string> {
  if (res.status === 401) return 'Wrong email or password.';
  const body: unknown = await res.json().catch(() => null);
  const error = body && typeof body === 'object' && 'error' in body ? body.error : null;
  return typeof error === 'string' ? error : `Sign-in failed (${res.status}). Please try again.`;
}

export function LoginForm() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      const res = await fetch('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: email.trim(), password }),
      });
      if (res.ok) {
        // A full navigation, so the inbox page is rendered with the new session.
        window.location.assign('/inbox');
        return;
      }
      setError(await errorOf(res));
    } catch {
      setError('Cannot reach the server. Check your connection and try again.');
    }
    setSubmitting(false);
  }

  function fillDemo(demoEmail: string) {
    setEmail(demoEmail);
    setPassword(DEMO_PASSWORD);
    setError(null);
  }

  return (
    <>
      <form className={styles.form} onSubmit={onSubmit} aria-busy={submitting}>
        <Field
          id="email"
          label="Email"
          type="email"
          autoComplete="username"
          autoFocus
          value={email}
          onChange={setEmail}
          disabled={submitting}
        />
        <Field
          id="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          disabled={submitting}
        />
        {error && (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        )}
        <button type="submit" className={styles.submit} disabled={submitting}>
          {submitting && <span className={styles.spinner} aria-hidden="true" />}
          Sign in
        </button>
      </form>
      <section className={styles.demo} aria-labelledby="demo-heading">
        <h2 id="demo-heading">Demo accounts</h2>
        <p>
          Password <code>{DEMO_PASSWORD}</code> for all. Pick one to fill the form:
        </p>
        <ul>
          {DEMO_ACCOUNTS.map((account) => (
            <li key={account.email}>
              <button type="button" onClick={() => fillDemo(account.email)} disabled={submitting}>
                <span>{account.email}</span>
                <span className={styles.who}>{account.who}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

type FieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> & {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
};

function Field({ id, label, onChange, ...input }: FieldProps) {
  return (
    <div className={styles.field}>
      <label htmlFor={id}>{label}</label>
      <input id={id} name={id} required onChange={(e) => onChange(e.target.value)} {...input} />
    </div>
  );
}
