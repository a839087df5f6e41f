// A password for `npm run admin`, kept off the command line: typed at a prompt without echo when stdin is
// a terminal, otherwise the first line of stdin (`printf '%s\n' "$PW" | npm run admin -- user:add …`).
import { stdin, stderr } from 'node:process';

export async function readPassword(prompt: string): Promise<string> {
  return stdin.isTTY ? promptHidden(prompt) : firstLine();
}

async function firstLine(): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += (chunk as Buffer).toString('utf8');
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

function promptHidden(prompt: string): Promise<string> {
  stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (finish: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      finish();
    };
    const onData = (keys: string) => {
      for (const key of keys) {
        if (key === '\r' || key === '\n') return done(() => resolve(typed));
        if (key === '\u0003') return done(() => reject(new Error('cancelled')));
        if (key === '\u007f' || key === '\b') typed = typed.slice(0, -1);
        else if (key >= ' ') typed += key;
      }
    };
    stdin.on('data', onData);
  });
}
