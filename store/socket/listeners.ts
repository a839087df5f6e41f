// The socket's lifecycle: opened when the inbox starts, closed when it stops or the session is refused.
import { isAnyOf } from '@reduxjs/toolkit';
import { socketAuthFailed, socketConnected, socketDisconnected } from '../events';
import { inboxStarted, inboxStopped } from '../intents';
import { jittered, type AppStartListening } from '../listenerMiddleware';

export function addSocketListeners(startListening: AppStartListening): void {
  startListening({
    actionCreator: inboxStarted,
    effect: (_, api) => api.extra.link.open(api.dispatch, api.getState),
  });

  startListening({
    matcher: isAnyOf(inboxStopped, socketAuthFailed),
    effect: (_, api) => api.extra.link.close(),
  });

  // socket.io does not reconnect after the server hung up on us: try once more after a while (a revoked
  // session then ends in connect_error `unauthorized`).
  startListening({
    actionCreator: socketDisconnected,
    effect: async ({ payload }, api) => {
      if (payload.reason !== 'io server disconnect') return;
      const moot = await api.condition(isAnyOf(socketConnected, inboxStopped, socketAuthFailed), jittered(1000));
      if (!moot) api.extra.link.reconnect();
    },
  });
}
