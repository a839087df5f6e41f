// Two real stores send through a TCP proxy that cuts their connections at random points (seeded), also
// between a send reaching the server and its ack reaching the client: still exactly once.
import { it } from 'vitest';
import { reportFigures, sized } from './support/exactly-once';
import { runSeed, seeded } from './support/prng';
import { ServerProcess } from '../support/server-process';
import { proxiedRig } from './support/rig';
import { TcpProxy } from './support/tcp-proxy';
import { twoSenders } from './support/two-senders';

const PER_CLIENT = sized(100, 1000);

const rig = proxiedRig();
const { stores } = rig;

it(`keeps 2×${PER_CLIENT} messages exactly once while connections are cut at random`, async () => {
  const seed = runSeed();
  const server = rig.server(await ServerProcess.fresh({ env: { RATE_LIMIT_PER_SOCKET: '100000' } }));
  await server.start();
  const cutter = rig.proxy(await TcpProxy.start(server.port));
  const tally = await twoSenders({
    server,
    stores,
    socketUrl: cutter.url,
    perClient: PER_CLIENT,
    // A dropped ack is retried after the ack timeout: shortened so the run stays quick.
    outbox: { ackTimeoutMs: 1000, maxAttempts: 6 },
    whileSending: async () => cutter.setChaos({ random: seeded(seed), cutChance: 0.005, swallowChance: 0.5, ackCutChance: 0.03, ackDropChance: 0.03 }),
    afterSending: () => cutter.setChaos(null),
  });
  reportFigures('cut connections', { ...tally, seed, ...cutter.counts });
}, sized(300_000, 1_200_000));
