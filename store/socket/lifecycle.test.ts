// The socket's lifecycle against the real server: a refused handshake, and a server that hangs up.
import { describe, expect, it } from 'vitest';
import { signIn } from '../../test/support/sign-in';
import { selectAuthFailed, selectConnectionState } from '../index';
import { CASEY, inboxPerTest, until } from '../test/inbox';

const each = inboxPerTest();

describe('socket lifecycle', () => {
  it('a refused session stops the socket and says so', async () => {
    const server = await each.start();
    const store = server.startStore('session=not-a-session');
    await until(() => selectAuthFailed(store.getState()), 'the refusal');
    expect(selectConnectionState(store.getState())).toBe('disconnected');
  });

  it('after the server hangs up (a sign-out elsewhere) it tries once more and learns the session is gone', async () => {
    const server = await each.start();
    const cookie = await signIn(server.url, CASEY);
    const store = server.startStore(cookie);
    await until(() => selectConnectionState(store.getState()) === 'connected', 'the connection');
    const res = await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie } });
    expect(res.status).toBe(200);
    await until(() => selectAuthFailed(store.getState()), 'the refused reconnect');
    expect(selectConnectionState(store.getState())).toBe('disconnected');
  });
});
