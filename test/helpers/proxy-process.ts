/** `responses-devtools proxy` run as a user runs it: the built command in a process of its own. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CLI } from './cli.ts';

export class ProxyProcess {
  private stdout = '';
  private stderr = '';
  private readonly waiters: Array<{ pattern: RegExp; resolve: (match: RegExpMatchArray) => void }> = [];
  private readonly exited: Promise<number | null>;
  url = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      this.stdout += text;
      this.check();
    });
    child.stderr.on('data', (text: string) => {
      this.stderr += text;
    });
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  /** Starts the proxy on a free port, with these options, once it says where it listens. */
  static async start(args: string[]): Promise<ProxyProcess> {
    const proxy = new ProxyProcess(spawn(process.execPath, [CLI, 'proxy', '--port', '0', ...args]));
    const listening = proxy.waitForOutput(/listening on (http:\/\/\S+),/);
    const ended = proxy.exited.then((code) => {
      throw new Error(`the proxy exited (${code}) before listening: ${proxy.stderr}`);
    });
    proxy.url = (await Promise.race([listening, ended]))[1] as string;
    return proxy;
  }

  get output(): string {
    return this.stdout;
  }

  get errors(): string {
    return this.stderr;
  }

  /** Resolves with the first match of the pattern in what the proxy printed, now or later. */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray> {
    return new Promise((resolve) => {
      this.waiters.push({ pattern, resolve });
      this.check();
    });
  }

  private check(): void {
    for (const waiter of [...this.waiters]) {
      const match = waiter.pattern.exec(this.stdout);
      if (!match) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(match);
    }
  }

  /** Ctrl+C, as a user stops it: resolves with its exit code. */
  async stop(): Promise<number | null> {
    this.child.kill('SIGINT');
    return this.exited;
  }
}
