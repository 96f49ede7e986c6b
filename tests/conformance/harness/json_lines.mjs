// Reads a child process's stdout as JSON lines and lets a driver wait for a line that matches, with a timeout.
// Every line ever received is kept (in order), so a wait also sees lines that arrived before it started; a wait
// fails early when the process exits, and its error names what was awaited and what came instead.

import readline from 'node:readline';

export class JsonLines {
	/**
	 * @param {import('node:stream').Readable} stream  @param {string} name used in messages
	 * @param {(line: string) => void} [onLine] sees every raw line (e.g. to copy it into a log)
	 */
	constructor(stream, name, onLine) {
		this.name = name;
		this.onRawLine = onLine;
		this.lines = [];
		this.nonJson = [];
		this.closed = false;
		this.waiters = new Set();
		readline.createInterface({ input: stream }).on('line', (line) => this.onLine(line)).on('close', () => {
			this.closed = true;
			for (const w of [...this.waiters]) {
				w.fail(new Error(`${this.name} ended its output while waiting for ${w.what}${this.tail()}`));
			}
		});
	}

	onLine(line) {
		this.onRawLine?.(line);
		if (!line.trim()) {
			return;
		}
		let value;
		try {
			value = JSON.parse(line);
		} catch {
			this.nonJson.push(line);
			return;
		}
		this.lines.push(value);
		for (const w of [...this.waiters]) {
			w.check(this.lines.length - 1);
		}
	}

	/** the last few lines, for error messages */
	tail(n = 6) {
		const last = this.lines.slice(-n).map((l) => JSON.stringify(l).slice(0, 300));
		return last.length ? `; last lines of ${this.name}:\n    ${last.join('\n    ')}` : `; ${this.name} printed no line`;
	}

	/**
	 * Resolves with the first line at index ≥ from for which pred(line) is true.
	 * `fail(line)` (optional) returning a string rejects at once with that text (e.g. an error event).
	 */
	waitFor(pred, { timeoutMs, what, from = 0, fail } = {}) {
		return new Promise((resolve, reject) => {
			const w = {
				what,
				check: (i) => {
					const line = this.lines[i];
					const bad = fail ? fail(line) : undefined;
					if (bad) {
						done();
						reject(new Error(`${this.name}: ${bad} (while waiting for ${what})`));
					} else if (pred(line)) {
						done();
						resolve(line);
					}
				},
				fail: (err) => {
					done();
					reject(err);
				}
			};
			const timer = setTimeout(() => {
				done();
				reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms${this.tail()}`));
			}, timeoutMs);
			const done = () => {
				clearTimeout(timer);
				this.waiters.delete(w);
			};
			this.waiters.add(w);
			for (let i = from; i < this.lines.length && this.waiters.has(w); i++) {
				w.check(i);
			}
			if (this.waiters.has(w) && this.closed) {
				w.fail(new Error(`${this.name} had already ended its output; no ${what}${this.tail()}`));
			}
		});
	}
}
