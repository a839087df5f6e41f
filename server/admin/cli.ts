// `npm run admin -- <command> [--flags]`: calls the running server's admin API.
//   user:add --email E --name N [--password P] [--avatar URL]  prints the email; without --password the
//                                                               password is asked for (or read from stdin)
//   conversation:add --client E --worker E --title T           prints the conversation id
// The server is at --url, else http://$HOST:$PORT (127.0.0.1:3000); the token is $ADMIN_TOKEN.
import { parseArgs } from 'node:util';
import { readPassword } from './read-password';

type Command = {
  path: string;
  required: string[];
  /** A flag that, when left out, is asked for without echo (or read from stdin). */
  secret?: string;
  body: (flags: Record<string, string>) => unknown;
  print: (answer: Record<string, unknown>) => unknown;
};

const COMMANDS: Record<string, Command> = {
  'user:add': {
    path: '/api/admin/users',
    required: ['email', 'name'],
    secret: 'password',
    body: (f) => ({ email: f.email, name: f.name, password: f.password, ...(f.avatar ? { avatar: f.avatar } : {}) }),
    print: (answer) => answer.email,
  },
  'conversation:add': {
    path: '/api/admin/conversations',
    required: ['client', 'worker', 'title'],
    body: (f) => ({ client_email: f.client, worker_email: f.worker, title: f.title }),
    print: (answer) => answer.conversation_id,
  },
};

const USAGE = `usage: npm run admin -- user:add --email E --name N [--avatar URL]   (asks for the password, or reads it from stdin)
       npm run admin -- user:add --email E --name N --password P [--avatar URL]
       npm run admin -- conversation:add --client E --worker E --title T
options: --url http://host:port (default http://$HOST:$PORT); needs ADMIN_TOKEN in the environment`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<string> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: Object.fromEntries(
        ['email', 'name', 'password', 'avatar', 'client', 'worker', 'title', 'url'].map((name) => [name, { type: 'string' as const }]),
      ),
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { positionals, values } = parsed;
  const command = COMMANDS[positionals[0] ?? ''];
  if (!command || positionals.length !== 1) throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  const flags = values as Record<string, string>;
  const missing = command.required.filter((name) => !flags[name]);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
  const token = process.env.ADMIN_TOKEN;
  if (!token) throw new Error('ADMIN_TOKEN is not set (it must equal the server’s ADMIN_TOKEN)');
  if (command.secret) {
    if (flags[command.secret] !== undefined) {
      console.error(
        `admin: warning: --${command.secret} on the command line is visible to other users of this machine ` +
          `(process list, shell history); leave it out to type it, or pipe it on stdin`,
      );
    } else {
      flags[command.secret] = await readPassword(`${command.secret[0]!.toUpperCase()}${command.secret.slice(1)}: `);
    }
    if (!flags[command.secret]) throw new UsageError(`no ${command.secret} given`);
  }
  const base = flags.url ?? `http://${process.env.HOST || '127.0.0.1'}:${process.env.PORT || '3000'}`;

  let res: Response;
  try {
    res = await fetch(new URL(command.path, base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(command.body(flags)),
    });
  } catch (error) {
    throw new Error(`cannot reach the server at ${base}: ${(error as Error).cause ?? (error as Error).message}`);
  }
  const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status !== 201) {
    throw new Error(`the server answered ${res.status}${typeof answer.error === 'string' ? `: ${answer.error}` : ''}`);
  }
  return String(command.print(answer));
}

main(process.argv.slice(2)).then(
  (output) => console.log(output),
  (error: Error) => {
    console.error(`admin: ${error.message}`);
    if (error instanceof UsageError) console.error(USAGE);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
