import { spawn } from 'child_process';
import fs from 'fs';
import * as fsp from 'fs/promises';
import { readFileSync as read } from 'node:fs';
import net from 'node:net';
import { Worker } from 'worker_threads';

export async function files(): Promise<void> {
  read('config.json');
  await fsp.readFile('a.txt');
  fs.existsSync('b.txt');
  await fs.promises.writeFile('c.txt', 'x');
  spawn('ls');
  net.createServer();
  new Worker('./w.js');
}
