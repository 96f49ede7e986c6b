// Child processes for test drivers: stderr goes to a log file, stdout is read as JSON lines, and stopping always
// ends with the process gone (a polite request first, SIGKILL after a timeout).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { JsonLines } from './json_lines.mjs';

// every child still running, so a driver that is being killed can take them down with it (killAll)
const live = new Set();

export class Child {
	/** kills (SIGKILL) every child still running; for a driver's signal handlers */
	static killAll() {
		for (const c of live) {
			c.proc.kill('SIGKILL');
		}
	}

	/** spawns `command args`; `logFile` receives its stderr; `name` appears in every message */
	constructor({ command, args, logFile, name, env }) {
		this.name = name;
		this.logFile = logFile;
		const log = fs.openSync(logFile, 'a');
		this.proc = spawn(command, args, { stdio: ['pipe', 'pipe', log], env: env || process.env });
		fs.closeSync(log);
		this.proc.stdin.on('error', () => {}); // writing to a process that just died is not a test failure
		this.exitCode = undefined;
		live.add(this);
		this.exited = new Promise((resolve) => {
			this.proc.on('exit', (code, signal) => {
				live.delete(this);
				this.exitCode = code ?? signal;
				resolve(this.exitCode);
			});
			this.proc.on('error', (err) => {
				live.delete(this);
				this.exitCode = `spawn error: ${err.message}`;
				resolve(this.exitCode);
			});
		});
		// its stdout lines go into the log too, between its stderr lines, so the log reads as one story
		this.out = new JsonLines(this.proc.stdout, name, (line) => fs.appendFileSync(logFile, `stdout: ${line}\n`));
	}

	get pid() {
		return this.proc.pid;
	}

	get running() {
		return this.exitCode === undefined;
	}

	/** writes one JSON line to its stdin */
	write(value) {
		if (this.running) {
			this.proc.stdin.write(JSON.stringify(value) + '\n');
		}
	}

	/** resolves with the exit code, or rejects after timeoutMs naming the process */
	async waitExit(timeoutMs) {
		let timer;
		const timeout = new Promise((_, reject) => {
			timer = setTimeout(() => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms`)), timeoutMs);
		});
		try {
			return await Promise.race([this.exited, timeout]);
		} finally {
			clearTimeout(timer);
		}
	}

	/** `polite()` asks the process to stop; after graceMs it is killed. Resolves when it is gone. */
	async stop(polite, graceMs = 5000) {
		if (!this.running) {
			return this.exitCode;
		}
		try {
			await polite?.();
		} catch {
			// fall through to the kill
		}
		try {
			return await this.waitExit(graceMs);
		} catch {
			this.proc.kill('SIGKILL');
			return this.exited;
		}
	}

	/** last lines of its log file, for failure messages */
	logTail(n = 25) {
		try {
			const lines = fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n');
			return lines.slice(-n).map((l) => l.slice(0, 400)).join('\n');
		} catch {
			return '';
		}
	}
}
