// A client of wasim's admin HTTP/JSON API (tests/wasim/README.md, "Admin API"). Every request has a timeout; a
// non-2xx answer rejects with the method, path, status and wasim's error text.

export class WasimAdmin {
	constructor(adminUrl, { requestTimeoutMs = 15000 } = {}) {
		this.base = adminUrl.replace(/\/$/, '');
		this.requestTimeoutMs = requestTimeoutMs;
	}

	async request(method, path, body, timeoutMs = this.requestTimeoutMs) {
		let res;
		try {
			res = await fetch(this.base + path, {
				method,
				headers: body === undefined ? {} : { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
				signal: AbortSignal.timeout(timeoutMs)
			});
		} catch (err) {
			const why = err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : err.cause?.message || err.message;
			throw new Error(`wasim admin ${method} ${path}: ${why}`);
		}
		const text = await res.text();
		let json;
		try {
			json = text ? JSON.parse(text) : {};
		} catch {
			throw new Error(`wasim admin ${method} ${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 300)}`);
		}
		if (!res.ok) {
			const e = json.error || {};
			const err = new Error(`wasim admin ${method} ${path}: HTTP ${res.status} ${e.code || ''} ${e.message || text.slice(0, 300)}`);
			err.status = res.status;
			err.body = json;
			throw err;
		}
		return json;
	}

	status() {
		return this.request('GET', '/v1/status');
	}

	createAccount(account) {
		return this.request('POST', '/v1/accounts', account);
	}

	account(phone) {
		return this.request('GET', `/v1/accounts/${encodeURIComponent(phone)}`);
	}

	/** the phone of `phone` scans `qr`; resolves with {result:"paired", device_jid, lid_jid, key_index} */
	scan(phone, qr, timeoutMs = 15000) {
		return this.request('POST', '/v1/scan', { phone, qr, timeout_ms: timeoutMs }, timeoutMs + 5000);
	}

	/** a simulated person sends: {from, to, text} (or message); resolves with {id, t, devices} */
	send(fields) {
		return this.request('POST', '/v1/send', fields);
	}

	unlink(jid) {
		return this.request('POST', '/v1/unlink', { jid });
	}

	shutdown() {
		return this.request('POST', '/v1/shutdown', undefined, 5000);
	}

	/** one page of the event log: {events, last_seq}; `match` fields must equal the event's data fields */
	events({ after = 0, types, match = {}, waitMs, limit } = {}) {
		const q = new URLSearchParams({ after: String(after) });
		if (types) {
			q.set('type', [].concat(types).join(','));
		}
		if (waitMs) {
			q.set('wait_ms', String(waitMs));
		}
		if (limit) {
			q.set('limit', String(limit));
		}
		for (const [k, v] of Object.entries(match)) {
			q.set(k, String(v));
		}
		return this.request('GET', `/v1/events?${q}`, undefined, (waitMs || 0) + this.requestTimeoutMs);
	}

	/**
	 * Waits (long-polling) for the first event of `types` with data matching `match` and `pred(event)` (optional),
	 * after sequence `after`. Rejects after timeoutMs with `what` and the last events of those types seen.
	 */
	async waitEvent({ types, match = {}, pred = () => true, after = 0, timeoutMs, what }) {
		const deadline = Date.now() + timeoutMs;
		let cursor = after;
		const seen = [];
		for (;;) {
			const left = deadline - Date.now();
			if (left <= 0) {
				const last = seen.slice(-5).map((e) => JSON.stringify(e).slice(0, 300)).join('\n    ');
				throw new Error(`wasim event log: no ${what} within ${timeoutMs} ms`
					+ (last ? `; last ${[].concat(types).join('/')} events:\n    ${last}` : `; no ${[].concat(types).join('/')} event at all`));
			}
			const page = await this.events({ after: cursor, types, match, waitMs: Math.min(left, 5000) });
			for (const e of page.events || []) {
				cursor = Math.max(cursor, e.seq);
				seen.push(e);
				if (pred(e)) {
					return e;
				}
			}
		}
	}
}
