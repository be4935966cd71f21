import { describe, expect, it } from "vitest";
import {
  PlivoApiError,
  PlivoConfigError,
  PlivoError,
  PlivoNetworkError,
  PlivoTimeoutError,
  describeOperation,
  isAmbiguousError,
  isNotFoundError,
} from "./errors";
import { renderings } from "../../test/helpers/renderings";
import { redactAccountPath, registerSecret, scrub } from "./redact";

const AUTH_ID = "MAERRTESTAAAAAAAAAAA";
const TOKEN = "errTestToken_5f1e2d3c4b5a69788796a5b4c3d2e1f0";
const BASIC = Buffer.from(`${AUTH_ID}:${TOKEN}`).toString("base64");
registerSecret(TOKEN, AUTH_ID);

function expectNoSecret(err: unknown, ...secrets: string[]): void {
  for (const text of renderings(err)) {
    for (const s of secrets) expect(text).not.toContain(s);
  }
}

const op = { resource: "PhoneNumber", name: "main", action: "buy 14155550100" };

describe("messages", () => {
  it('formats an API error like `PhoneNumber "main": buy 14155550100 failed: 404 not found (api_id …)`', () => {
    const err = new PlivoApiError({
      status: 404,
      method: "POST",
      path: `/v1/Account/${AUTH_ID}/PhoneNumber/14155550100/`,
      apiId: "5f59e1c2-0000-11ea-0000-0242ac110003",
      plivoError: "not found",
      operation: op,
    });
    expect(err.message).toBe('PhoneNumber "main": buy 14155550100 failed: 404 not found (api_id 5f59e1c2-0000-11ea-0000-0242ac110003)');
    expect(err).toBeInstanceOf(PlivoError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("PlivoApiError");
    expect(err.code).toBe("PLIVO_API_ERROR");
    expect(err.isNotFound).toBe(true);
    expect(isNotFoundError(err)).toBe(true);
    expect(err.retryable).toBe(false);
    expect(err.ambiguous).toBe(false);
    expect(err.path).toBe("/v1/Account/…/PhoneNumber/14155550100/");
    expect(String(err)).toBe(`PlivoApiError: ${err.message}`);
    expect(err.stack!.split("\n")[0]).toBe(`PlivoApiError: ${err.message}`);
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({
      name: "PlivoApiError",
      code: "PLIVO_API_ERROR",
      status: 404,
      apiId: "5f59e1c2-0000-11ea-0000-0242ac110003",
      plivoError: "not found",
      isNotFound: true,
      operation: op,
    });
  });

  it("falls back to the HTTP status text, and describes retries, ambiguity and 401", () => {
    const e500 = new PlivoApiError({
      status: 500,
      method: "POST",
      path: "/x",
      attempts: 1,
      ambiguous: true,
      operation: { resource: "Application", action: "create" },
    });
    expect(e500.message).toBe("Application: create failed: 500 Internal Server Error; the request may have been applied by Plivo, so it was not re-sent");
    expect(e500.retryable).toBe(true);
    expect(isAmbiguousError(e500)).toBe(true);
    const e503 = new PlivoApiError({ status: 503, method: "GET", path: "/x", attempts: 6 });
    expect(e503.message).toBe("Plivo API request failed: 503 Service Unavailable, after 6 attempts");
    const e401 = new PlivoApiError({ status: 401, method: "GET", path: "/x", plivoError: "Authentication failed" });
    expect(e401.message).toContain("401 Authentication failed; check plivo:authId and plivo:authToken");
  });

  it("describes network errors in one line naming the base URL and what to do", () => {
    const refused = new PlivoNetworkError({
      method: "GET",
      path: "/v1/Account/MA1/Application/",
      baseUrl: "http://127.0.0.1:9",
      sentRequest: false,
      attempts: 3,
      elapsedMs: 4100,
      causeCode: "ECONNREFUSED",
      detail: "connection refused",
      operation: { resource: "Application", name: "app", action: "list" },
    });
    expect(refused.message).toBe(
      'Application "app": list failed: cannot reach the Plivo API at http://127.0.0.1:9 (connection refused) after 3 attempts in 4.1 s; check plivo:baseUrl (PLIVO_BASE_URL) and the network',
    );
    expect(refused).toMatchObject({ baseUrl: "http://127.0.0.1:9", elapsedMs: 4100, attempts: 3, causeCode: "ECONNREFUSED", ambiguous: false });

    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    const n = new PlivoNetworkError({
      method: "POST",
      path: "/v1/Account/MA1/Application/",
      baseUrl: "https://api.plivo.com",
      sentRequest: true,
      ambiguous: true,
      elapsedMs: 120,
      cause: reset,
      causeCode: "ECONNRESET",
      detail: "connection reset",
      operation: { resource: "Application", name: "app", action: "create" },
    });
    expect(n.message).toBe(
      'Application "app": create failed: lost the connection to the Plivo API at https://api.plivo.com (connection reset) after the request was sent, after 1 attempt in 0.1 s; the request may have been applied by Plivo, so it was not re-sent',
    );
    expect(n.message).not.toContain("\n");
    expect(n.cause).toBeInstanceOf(Error);
    expect((n.cause as Error).message).toBe("read ECONNRESET");
    expect((n.cause as { code?: string }).code).toBe("ECONNRESET");
    expect(n.retryable).toBe(true);
    expect(isAmbiguousError(n)).toBe(true);
  });

  it("describes timeouts with the budget and the setting that controls it", () => {
    const hung = new PlivoTimeoutError({
      method: "GET",
      path: "/p",
      baseUrl: "http://127.0.0.1:4000",
      sentRequest: true,
      timeoutMs: 2000,
      attempts: 2,
      elapsedMs: 2010,
    });
    expect(hung).toBeInstanceOf(PlivoNetworkError);
    expect(hung.name).toBe("PlivoTimeoutError");
    expect(hung.message).toBe(
      "Plivo API request failed: no response from the Plivo API at http://127.0.0.1:4000 within 2 s (plivo:timeoutSeconds), after 2 attempts in 2.0 s; check plivo:baseUrl (PLIVO_BASE_URL) or raise plivo:timeoutSeconds (PLIVO_TIMEOUT_SECONDS)",
    );
    expect(hung.ambiguous).toBe(false);
    const post = new PlivoTimeoutError({
      method: "POST",
      path: "/p",
      baseUrl: "http://x.test",
      sentRequest: true,
      ambiguous: true,
      timeoutMs: 30_000,
      elapsedMs: 30_004,
    });
    expect(post.message).toBe(
      "Plivo API request failed: no response from the Plivo API at http://x.test within 30 s (plivo:timeoutSeconds), after 1 attempt in 30 s; the request may have been applied by Plivo, so it was not re-sent",
    );
    const connect = new PlivoTimeoutError({
      method: "GET",
      path: "/p",
      baseUrl: "http://10.255.255.1",
      sentRequest: false,
      timeoutMs: 1500,
      attempts: 1,
      elapsedMs: 1500,
    });
    expect(connect.message).toBe(
      "Plivo API request failed: cannot reach the Plivo API at http://10.255.255.1 (no connection within 1.5 s (plivo:timeoutSeconds)) after 1 attempt in 1.5 s; check plivo:baseUrl (PLIVO_BASE_URL) or raise plivo:timeoutSeconds (PLIVO_TIMEOUT_SECONDS)",
    );
  });

  it("a 429 that outlasted the retry budget says what to do", () => {
    const e = new PlivoApiError({
      status: 429,
      method: "POST",
      path: "/x",
      plivoError: "too many requests",
      attempts: 57,
      elapsedMs: 600_400,
      retryable: true,
    });
    expect(e.message).toBe(
      "Plivo API request failed: 429 too many requests, after 57 attempts in 600 s; Plivo kept refusing requests of this account (its limit is shared by every process and subaccount): run fewer stacks at once or lower plivo:rateLimit",
    );
  });

  it("config errors name the key and the env variable", () => {
    const e = new PlivoConfigError("Missing plivo:authToken (env PLIVO_AUTH_TOKEN)", { key: "plivo:authToken", envVar: "PLIVO_AUTH_TOKEN" });
    expect(e.key).toBe("plivo:authToken");
    expect(e.envVar).toBe("PLIVO_AUTH_TOKEN");
    expect(e.name).toBe("PlivoConfigError");
    expect(e).toBeInstanceOf(PlivoError);
  });

  it("describeOperation", () => {
    expect(describeOperation({ resource: "Brand", action: "register" })).toBe("Brand: register");
    expect(describeOperation({ resource: "Brand", name: "b", action: "register" })).toBe('Brand "b": register');
    expect(describeOperation()).toBe("Plivo API request");
  });

  it("redacts the auth id in paths", () => {
    expect(redactAccountPath("/v1/Account/MA123/Number/1/?limit=2")).toBe("/v1/Account/…/Number/1/?limit=2");
  });
});

describe("scrubbing", () => {
  it("removes the token and the Basic credentials from every rendering of every error kind", () => {
    // A hostile cause: a foreign error whose message, stack, code and extra fields carry the secret.
    const cause = Object.assign(new Error(`socket hang up; authorization: Basic ${BASIC}; token=${TOKEN}`), {
      code: "ECONNRESET",
      headers: { authorization: `Basic ${BASIC}` },
      options: { auth: `${AUTH_ID}:${TOKEN}` },
    });
    (cause as Error).cause = new Error(`inner ${TOKEN}`);
    const operation = { resource: "Application", name: `weird-${TOKEN}`, action: `create with ${TOKEN}` };
    const errors = [
      new PlivoApiError({
        status: 400,
        method: "POST",
        path: `/v1/Account/${AUTH_ID}/Application/${TOKEN}/`,
        apiId: TOKEN,
        plivoError: `echo: ${TOKEN} ${BASIC}`,
        operation,
        cause,
      }),
      new PlivoNetworkError({ method: "GET", path: `/v1/Account/${AUTH_ID}/x/`, sentRequest: true, cause, causeCode: "ECONNRESET", operation }),
      new PlivoTimeoutError({ method: "GET", path: "/x", sentRequest: true, timeoutMs: 5, cause, detail: `slow ${TOKEN}`, operation }),
      new PlivoConfigError(`bad value ${TOKEN}`, { key: "plivo:authToken", envVar: "PLIVO_AUTH_TOKEN", cause }),
      new PlivoError(`generic ${TOKEN}`, { cause: { some: { nested: TOKEN } } }),
    ];
    for (const err of errors) {
      expectNoSecret(err, TOKEN, BASIC, BASIC.replace(/=+$/, ""));
      expect(renderings(err).join("\n")).toContain("[REDACTED]");
    }
    // The copied cause keeps the useful parts and drops the foreign fields.
    const c = errors[1]!.cause as Error & { code?: string; headers?: unknown };
    expect(c.code).toBe("ECONNRESET");
    expect(c.headers).toBeUndefined();
    expect(c.message).toContain("socket hang up");
  });

  it("scrub() handles regex metacharacters, URL-encoded forms and leaves short strings alone", () => {
    const odd = "t0k+en.$(x)[y]{z}|^/?";
    registerSecret(odd);
    expect(scrub(`a ${odd} b`)).toBe("a [REDACTED] b");
    expect(scrub(`a ${encodeURIComponent(odd)} b`)).toBe("a [REDACTED] b");
    registerSecret("abc"); // too short to register safely
    expect(scrub("abcabc")).toBe("abcabc");
  });
});
