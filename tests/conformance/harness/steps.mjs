// A sequence of named, dependent test steps, each with a timeout. The first failure stops the sequence: later steps
// depend on it and are reported as not run (never as skipped successes). Prints one line per step and returns the
// counts, so a driver can end with "N passed, N failed, N not run".

export const withTimeout = (promise, ms, what) => {
	let timer;
	return Promise.race([
		Promise.resolve(promise).finally(() => clearTimeout(timer)),
		new Promise((_, reject) => {
			timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
		})
	]);
};

export class Steps {
	constructor(prefix, { log = (s) => process.stdout.write(s + '\n') } = {}) {
		this.prefix = prefix;
		this.log = log;
		this.passed = 0;
		this.failed = 0;
		this.notRun = 0;
		this.failure = undefined; // {step, message}
	}

	/** runs fn() unless an earlier step failed; resolves with fn's value (undefined when not run or failed) */
	async run(name, timeoutMs, fn) {
		if (this.failure) {
			this.notRun++;
			this.log(`not run ${this.prefix} ${name} (after the failure of '${this.failure.step}')`);
			return undefined;
		}
		const started = Date.now();
		try {
			const value = await withTimeout(fn(), timeoutMs, `step '${name}'`);
			this.passed++;
			this.log(`ok      ${this.prefix} ${name} (${Date.now() - started} ms)`);
			return value;
		} catch (err) {
			this.failed++;
			this.failure = { step: name, message: err.message };
			const text = String(err.message).split('\n').join('\n          ');
			this.log(`FAIL    ${this.prefix} ${name}: ${text}`);
			return undefined;
		}
	}

	get ok() {
		return !this.failure;
	}
}

/** throws `message` unless cond holds */
export const check = (cond, message) => {
	if (!cond) {
		throw new Error(message);
	}
};
