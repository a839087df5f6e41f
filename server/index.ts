// Process entry: `node --import tsx server/index.ts [--dev]`, configured by the environment (CONTRACT
// section 1). INBOX_WEB=0 serves only /api/* and the socket, without Next: for test suites that spawn it.
import { loadConfig, type Config } from './config';
import { dialectOf } from './db/connect';
import { log } from './log';

function configOrExit(): Config {
  try {
    return loadConfig(process.env, process.argv.slice(2));
  } catch (error) {
    // A setting the operator must fix: one plain line on stderr, not a stack trace.
    console.error(`stream-inbox: ${(error as Error).message}`);
    process.exit(1);
  }
}

const config = configOrExit();
// React and Next pick their production or development build by NODE_ENV when first loaded, so it is set
// before the app (and with it Next) is imported.
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? (config.dev ? 'development' : 'production') });

async function main(): Promise<void> {
  const { startServer } = await import('./app');
  const server = await startServer(config);
  log.info({ url: server.url, db: dialectOf(config.databaseUrl), web: config.web, dev: config.dev }, 'listening');

  let stopping = false;
  const stop = async (signal: string) => {
    // A second signal, or a shutdown stuck for long, ends the process at once.
    if (stopping) process.exit(1);
    stopping = true;
    setTimeout(() => process.exit(1), 15_000).unref();
    log.info({ signal }, 'shutting down');
    try {
      await server.close();
      log.info('stopped');
      log.flush();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      log.flush();
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  log.fatal({ err: error }, 'failed to start');
  log.flush();
  process.exit(1);
});
