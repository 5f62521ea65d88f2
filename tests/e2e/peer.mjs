// A Telethon client (telethon_peer.py) as a second device on the app's Local
// test network: one JSON command per line in, one JSON answer per line out.

import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'telethon_peer.py');
const ANSWER_MS = 60_000;

export class TelethonPeer {
  /** Starts the peer on the network announced in `announcementPath`. */
  constructor(announcementPath, name) {
    this.name = name;
    this.stderr = '';
    this.child = spawn(process.env.PYTHON ?? 'python3', [script, announcementPath], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr.on('data', (chunk) => (this.stderr += chunk));
    this.answers = [];
    this.waiting = [];
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      const next = this.waiting.shift();
      if (next) next(line);
      else this.answers.push(line);
    });
  }

  /** Sends one command; resolves with the parsed answer. */
  async send(command) {
    if (this.child.exitCode !== null) {
      throw new Error(`Telethon peer ${this.name} exited (${this.child.exitCode}): ${this.stderr.slice(-2000)}`);
    }
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    let timer;
    const line = await Promise.race([
      this.answers.length > 0
        ? Promise.resolve(this.answers.shift())
        : new Promise((resolve) => this.waiting.push(resolve)),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Telethon peer ${this.name}: no answer to ${command.cmd} in ${ANSWER_MS} ms; stderr: ${this.stderr.slice(-2000)}`)),
          ANSWER_MS,
        );
      }),
      new Promise((_, reject) =>
        this.child.once('exit', (code) =>
          reject(new Error(`Telethon peer ${this.name} exited (${code}) during ${command.cmd}: ${this.stderr.slice(-2000)}`)),
        ),
      ),
    ]).finally(() => clearTimeout(timer));
    console.log(`     telethon ${this.name} ${command.cmd} -> ${line}`);
    return JSON.parse(line);
  }

  kill() {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}
