import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { PlivoConfigError } from "./client/errors";
import { _resetAccountRateLimitersForTests, accountRateLimiter } from "./client/rateLimiter";
import { DEFAULT_TIMEOUT_SECONDS, closeAllClients, getClient, parseTimeoutSeconds, resolveConfig } from "./config";

const source = (values: Record<string, string | undefined>) => ({ get: (key: string) => values[key] });
const TOKEN = "cfgTestToken_0123456789abcdef0123456789";

afterEach(async () => {
  await closeAllClients();
  _resetAccountRateLimitersForTests();
});

describe("resolveConfig", () => {
  it("reads stack config keys", () => {
    const c = resolveConfig(
      source({ "plivo:authId": "MAAAAAAAAAAAAAAAAAAA", "plivo:authToken": TOKEN, "plivo:baseUrl": "http://127.0.0.1:9999/", "plivo:rateLimit": "30/500ms" }),
      {},
    );
    expect(c.authId).toBe("MAAAAAAAAAAAAAAAAAAA");
    expect(c.authToken).toBe(TOKEN);
    expect(c.baseUrl).toBe("http://127.0.0.1:9999"); // trailing slash tolerated
    expect(c.rateLimit).toEqual({ limit: 30, windowMs: 500 });
  });

  it("falls back to environment variables, with defaults", () => {
    const c = resolveConfig(undefined, { PLIVO_AUTH_ID: "MAENV", PLIVO_AUTH_TOKEN: TOKEN });
    expect(c).toMatchObject({ authId: "MAENV", baseUrl: "https://api.plivo.com", rateLimit: { limit: 300, windowMs: 5000 }, timeoutSeconds: 30 });
    expect(DEFAULT_TIMEOUT_SECONDS).toBe(30);
    const d = resolveConfig(source({}), {
      PLIVO_AUTH_ID: "MAENV",
      PLIVO_AUTH_TOKEN: TOKEN,
      PLIVO_BASE_URL: "https://example.test/plivo/",
      PLIVO_RATE_LIMIT: "10/s",
    });
    expect(d.baseUrl).toBe("https://example.test/plivo");
    expect(d.rateLimit).toEqual({ limit: 10, windowMs: 1000 });
  });

  it("config wins over env; empty values count as unset; values are trimmed", () => {
    const env = { PLIVO_AUTH_ID: "MAENV", PLIVO_AUTH_TOKEN: "envToken_xxxxxxxx", PLIVO_BASE_URL: "http://env.test" };
    const c = resolveConfig(source({ "plivo:authId": "MACFG", "plivo:authToken": ` ${TOKEN}\n`, "plivo:baseUrl": "" }), env);
    expect(c.authId).toBe("MACFG");
    expect(c.authToken).toBe(TOKEN);
    expect(c.baseUrl).toBe("http://env.test");
  });

  it("missing credentials name both the config key and the env variable", () => {
    let err: unknown;
    try {
      resolveConfig(source({ "plivo:authId": "MAONLY" }), {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlivoConfigError);
    const e = err as PlivoConfigError;
    expect(e.key).toBe("plivo:authToken");
    expect(e.envVar).toBe("PLIVO_AUTH_TOKEN");
    expect(e.message).toContain("plivo:authToken");
    expect(e.message).toContain("PLIVO_AUTH_TOKEN");
    expect(e.message).toContain("pulumi config set --secret plivo:authToken");

    expect(() => resolveConfig(source({}), {})).toThrow(/plivo:authId.*PLIVO_AUTH_ID.*plivo:authToken.*PLIVO_AUTH_TOKEN/);
    expect(() => resolveConfig(source({ "plivo:authToken": TOKEN }), {})).toThrow(/plivo:authId.*PLIVO_AUTH_ID/);
    try {
      resolveConfig(source({ "plivo:authToken": TOKEN }), {});
    } catch (e2) {
      expect(String(e2)).not.toContain(TOKEN);
    }
  });

  it.each(["ftp://x.test", "not a url", "//x.test", "http://user:pw@x.test", "http://x.test/?a=1"])("rejects base URL %j", (url) => {
    let err: unknown;
    try {
      resolveConfig(source({ "plivo:authId": "MA1", "plivo:authToken": TOKEN, "plivo:baseUrl": url }), {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlivoConfigError);
    expect((err as PlivoConfigError).key).toBe("plivo:baseUrl");
    expect((err as Error).message).toContain("PLIVO_BASE_URL");
  });

  it("rejects an invalid rate limit and an auth id that would break the URL path", () => {
    expect(() => resolveConfig(source({ "plivo:authId": "MA1", "plivo:authToken": TOKEN, "plivo:rateLimit": "fast" }), {})).toThrow(
      /plivo:rateLimit.*PLIVO_RATE_LIMIT/,
    );
    expect(() => resolveConfig(source({ "plivo:authId": "MA1/../x", "plivo:authToken": TOKEN }), {})).toThrow(PlivoConfigError);
  });

  it("hides the token from JSON.stringify and util.inspect", () => {
    const c = resolveConfig(source({ "plivo:authId": "MA1", "plivo:authToken": TOKEN }), {});
    expect(JSON.stringify(c)).not.toContain(TOKEN);
    expect(JSON.parse(JSON.stringify(c))).toMatchObject({ authId: "MA1", authToken: "[REDACTED]" });
    expect(inspect(c, { depth: 5 })).not.toContain(TOKEN);
    expect(inspect(c)).toContain("MA1");
    expect(c.authToken).toBe(TOKEN);
  });
});

describe("plivo:timeoutSeconds", () => {
  const creds = { "plivo:authId": "MA1", "plivo:authToken": TOKEN };

  it.each([
    ["30", 30],
    ["2.5", 2.5],
    [" 0.5 ", 0.5],
    ["3600", 3600],
  ])("%j → %d s", (text, seconds) => {
    expect(resolveConfig(source({ ...creds, "plivo:timeoutSeconds": text }), {}).timeoutSeconds).toBe(seconds);
  });

  it("falls back to PLIVO_TIMEOUT_SECONDS; stack config wins", () => {
    expect(resolveConfig(source(creds), { PLIVO_TIMEOUT_SECONDS: "7" }).timeoutSeconds).toBe(7);
    expect(resolveConfig(source({ ...creds, "plivo:timeoutSeconds": "9" }), { PLIVO_TIMEOUT_SECONDS: "7" }).timeoutSeconds).toBe(9);
    expect(resolveConfig(source({ ...creds, "plivo:timeoutSeconds": "" }), {}).timeoutSeconds).toBe(30); // empty = unset
  });

  it.each(["0", "-5", "abc", "10s", "1e3", "3601", "Infinity", "NaN", ".5"])("rejects %j naming the key, the env variable and the rule", (text) => {
    let err: unknown;
    try {
      resolveConfig(source({ ...creds, "plivo:timeoutSeconds": text }), {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlivoConfigError);
    expect(err).toMatchObject({ key: "plivo:timeoutSeconds", envVar: "PLIVO_TIMEOUT_SECONDS" });
    expect((err as Error).message).toBe(
      `Invalid "plivo:timeoutSeconds" (env PLIVO_TIMEOUT_SECONDS): expected a number of seconds greater than 0 and at most 3600 (e.g. 30), got "${text}"`,
    );
  });

  it("an invalid env value is reported as the env variable's", () => {
    expect(() => resolveConfig(source(creds), { PLIVO_TIMEOUT_SECONDS: "soon" })).toThrow(/PLIVO_TIMEOUT_SECONDS.*got "soon"/);
    expect(() => parseTimeoutSeconds("0")).toThrow(PlivoConfigError);
  });

  it("becomes the client's time budget", () => {
    const c = resolveConfig(source({ ...creds, "plivo:baseUrl": "http://127.0.0.1:1", "plivo:timeoutSeconds": "4.5" }), {});
    expect(getClient(c).timeoutMs).toBe(4500);
    expect(getClient({ ...c, timeoutSeconds: 30 }).timeoutMs).toBe(30_000); // another budget, another client
  });
});

describe("getClient", () => {
  const base = { authId: "MACACHE", baseUrl: "http://127.0.0.1:1", rateLimit: { limit: 300, windowMs: 5000 }, timeoutSeconds: 30 };

  it("caches one client per (baseUrl, authId, token); clients of one account share its rate limiter", async () => {
    const a = getClient({ ...base, authToken: TOKEN });
    const b = getClient({ ...base, authToken: TOKEN });
    const c = getClient({ ...base, authToken: `${TOKEN}-other` });
    const d = getClient({ ...base, authToken: TOKEN, baseUrl: "http://127.0.0.1:2" });
    const e = getClient({ ...base, authToken: TOKEN, authId: "MAOTHER" });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(d).not.toBe(a);
    expect(a.rateLimiter).toBe(accountRateLimiter(base.baseUrl, base.authId));
    expect(c.rateLimiter).toBe(a.rateLimiter); // same account, another token: one budget
    expect(d.rateLimiter).not.toBe(a.rateLimiter); // another API
    expect(e.rateLimiter).not.toBe(a.rateLimiter); // another account
    await a.close();
    const f = getClient({ ...base, authToken: TOKEN });
    expect(f).not.toBe(a); // a closed client is replaced
    expect(f.rateLimiter).toBe(a.rateLimiter); // ...and keeps the account's limiter (its pauses and pace)
  });

  it("reconfigures the account's limiter from plivo:rateLimit", () => {
    const c = getClient({ ...base, authToken: TOKEN, rateLimit: { limit: 42, windowMs: 1000 } });
    expect(c.rateLimiter.limit).toBe(42);
    expect(c.rateLimiter.windowMs).toBe(1000);
  });
});
