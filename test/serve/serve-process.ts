import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../helpers/graph.js';

/**
 * `stopline serve` as a child process of a test: the real binary (bin/stopline.js over
 * lib/, built by `npm test`), its output collected, the stops' URLs and process groups and
 * the forwarders' URLs read from what it prints.
 */

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly stops: ReadonlyMap<string, { readonly url: string; readonly pgid: number }>;
  readonly forwarders: readonly string[];
  /** every port it printed (stops and forwarders) */
  readonly ports: readonly number[];
  stdout(): string;
  stderr(): string;
  /** resolves with the exit code (null: a signal) */
  readonly exited: Promise<number | null>;
}

const STOP_LINE = /^ {2}(\S+)\s+(http:\/\/127\.0\.0\.1:(\d+)) {2}\(jco serve, process group (\d+)\)$/;
const HOP_LINE = /through (http:\/\/127\.0\.0\.1:(\d+))/;

export function startServeProcess(args: readonly string[], readyTimeoutMs = 240_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/stopline.js'), 'serve', ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new Error(`stopline serve did not get ready in ${readyTimeoutMs} ms:\n${out}\n${err}`));
    }, readyTimeoutMs);
    const check = (): void => {
      if (!out.includes('Ctrl-C ends every stop')) return;
      clearTimeout(timer);
      const stops = new Map<string, { url: string; pgid: number }>();
      const forwarders: string[] = [];
      const ports: number[] = [];
      for (const line of out.split('\n')) {
        const s = STOP_LINE.exec(line);
        if (s) {
          stops.set(s[1]!, { url: s[2]!, pgid: Number(s[4]) });
          ports.push(Number(s[3]));
        }
        const h = HOP_LINE.exec(line);
        if (h) {
          forwarders.push(h[1]!);
          ports.push(Number(h[2]));
        }
      }
      resolve({ child, stops, forwarders, ports, stdout: () => out, stderr: () => err, exited });
    };
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      check();
    });
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString('utf8');
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`stopline serve exited (${code}) before it was ready:\n${out}\n${err}`));
    });
  });
}

export { groupAlive } from '../../src/serve/serve.js';
