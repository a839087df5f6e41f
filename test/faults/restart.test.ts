// Two real stores keep sending into one conversation while the server process is stopped (SIGTERM) and
// started again twice on the same port and database: nothing is lost, nothing is stored or shown twice.
import { afterEach, it } from 'vitest';
import { reportFigures, sized } from './support/exactly-once';
import { ServerProcess } from '../support/server-process';
import { storeSet } from '../support/stores';
import { until } from '../support/until';
import { twoSenders } from './support/two-senders';

const PER_CLIENT = sized(100, 1000);
const RESTARTS = 2;

const stores = storeSet();
let server: ServerProcess | undefined;

afterEach(async () => {
  stores.stopAll();
  await server?.dispose();
});

it(`keeps 2×${PER_CLIENT} messages exactly once through ${RESTARTS} server restarts`, async () => {
  // The limit is not under test here: the outbox sends as fast as acks come, and the reader marks each read.
  const running = await ServerProcess.fresh({ env: { RATE_LIMIT_PER_SOCKET: '100000' } });
  server = running;
  await running.start();
  const tally = await twoSenders({
    server: running,
    stores,
    socketUrl: running.url,
    perClient: PER_CLIENT,
    whileSending: async (confirmed, total) => {
      for (let r = 1; r <= RESTARTS; r += 1) {
        const due = Math.floor((total * r) / (RESTARTS + 1));
        await until(() => confirmed() >= due, `${due} confirmed messages`, sized(90_000, 600_000));
        await running.restart('SIGTERM');
      }
    },
  });
  reportFigures('server restart mid-stream', { ...tally, restarts: RESTARTS });
}, sized(300_000, 1_200_000));
