// Which inbox the scenarios run against, read once from the environment.
//
// Without E2E_BASE_URL every test starts a server of its own (a fresh SQLite file with the demo seed).
// With it, every test runs against that deployment, signed in with the accounts below, and scenarios that
// must control the server are skipped with their reason.
import { DEMO_PASSWORD } from '../../test/support/sign-in';

export type Account = { email: string; password: string };

const env = process.env;

/** The deployment under test (no trailing slash), or null: a fresh server per test. */
export const DEPLOYMENT_URL: string | null = env.E2E_BASE_URL ? env.E2E_BASE_URL.replace(/\/+$/, '') : null;

/** True when the scenarios run against E2E_BASE_URL instead of a server of their own. */
export const onDeployment = DEPLOYMENT_URL !== null;

// A fresh server only has the demo accounts, so the account variables count on a deployment only.
const given = (name: string, demo: string): string => (onDeployment && env[name]) || demo;

/** The client side of the scenarios ("Casey"). */
export const CLIENT: Account = {
  email: given('E2E_CLIENT_EMAIL', 'client@demo.test'),
  password: given('E2E_CLIENT_PASSWORD', DEMO_PASSWORD),
};

/** The worker side ("Wes"): in two conversations with the client, not in the third. */
export const WORKER: Account = {
  email: given('E2E_WORKER_EMAIL', 'worker@demo.test'),
  password: given('E2E_WORKER_PASSWORD', DEMO_PASSWORD),
};

/** Bearer token of the deployment's admin API, if QA has it: then scenarios that mark a job complete get a fresh job. */
export const DEPLOYMENT_ADMIN_TOKEN: string | null = (onDeployment && env.E2E_ADMIN_TOKEN) || null;

/** The password the scenarios sign in with for `email` (the demo password for any other account). */
export function passwordFor(email: string): string {
  return [CLIENT, WORKER].find((account) => account.email === email)?.password ?? DEMO_PASSWORD;
}

/** The one-line reasons a scenario gives for being skipped on a deployment (`test.skip(onDeployment, …)`). */
export const NEEDS_OWN_SERVER = {
  restart: 'stops and restarts the server under an open page: needs a server of its own',
  proxy: 'cuts the TCP connection through a proxy in front of the server: needs a server of its own',
  server: 'uses the `server` fixture (a server process of its own), which a deployment does not give',
} as const;

/**
 * The email a wrong-password check uses: the client's on a server of the test's own; on a deployment a
 * made-up one, so repeated runs never lock the client's account out (sign-in allows 10 failures per
 * email and address in 15 minutes, then answers 429 even to the right password).
 */
export function emailForAWrongPassword(): string {
  return onDeployment ? `nobody-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.invalid` : CLIENT.email;
}
