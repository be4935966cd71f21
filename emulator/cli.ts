#!/usr/bin/env node
/**
 * plivo-emulator — run the local Plivo API emulator.
 *
 *   plivo-emulator [--host 127.0.0.1] [--port 0] [--data FILE] [--auth-id ID]
 *                  [--auth-token TOKEN] [--rate-limit N/S] [--seed N] [--log]
 *                  [--transition TYPE=MODE[:N][:OUTCOME] …] [--latency-ms N] [--chaos SPEC]
 *                  [--control-token TOKEN] [--allowed-host NAME …]
 */
import { parseArgs } from "node:util";
import { parseChaosFlag } from "./control/chaos";
import { parseRateLimit } from "./control/runtime";
import { parseTransitionFlag } from "./engine/flags";
import { startEmulator } from "./server";

const HELP = `Usage: plivo-emulator [options]

  --host HOST          interface to bind (default 127.0.0.1)
  --port PORT          port to listen on; 0 picks a free port (default 8787)
  --data FILE          persist state to FILE (+ FILE.journal.N): loaded on start, every change journaled
                       before it is acknowledged
  --auth-id ID         account auth id (default MAEMULATORACCOUNT0001)
  --auth-token TOKEN   account auth token (default emulator-auth-token)
  --rate-limit N/S     reply 429 above N requests per S seconds (e.g. 300/5); off by default
  --seed N             inventory seed (default 1)
  --log                log every request (Fastify logger) to stderr
  --transition TYPE=MODE[:N][:OUTCOME]
                       asynchronous transitions (repeatable); TYPE brand|campaign|link|unlink|tfv,
                       MODE immediate|reads|seconds|manual, N reads or seconds, OUTCOME
                       success|failure|update_required, e.g. brand=reads:2, tfv=seconds:30:failure
  --latency-ms N       add N ms to every API request (e.g. 50 or 200, as a real round trip)
  --chaos SPEC         seeded random faults on API requests: seed=N,probability=P[,kinds=429+500+503+reset+
                       after+after-reset][,methods=GET+POST][,paths=/Number/+/PhoneNumber/][,retryAfter=S]
  --control-token T    require T (header X-Emulator-Token) on every /__emulator/ request
  --allowed-host NAME  accept requests whose Host is NAME (repeatable; loopback names always work)
  -h, --help           show this help
`;

const OPTIONS = {
  host: { type: "string" },
  port: { type: "string" },
  data: { type: "string" },
  "auth-id": { type: "string" },
  "auth-token": { type: "string" },
  "rate-limit": { type: "string" },
  seed: { type: "string" },
  log: { type: "boolean" },
  transition: { type: "string", multiple: true },
  "latency-ms": { type: "string" },
  chaos: { type: "string" },
  "control-token": { type: "string" },
  "allowed-host": { type: "string", multiple: true },
  help: { type: "boolean", short: "h" },
} as const;

/** The command line's flags; usage and exit 2 when they do not parse. */
function parseFlags() {
  try {
    return parseArgs({ options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const values = parseFlags();
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = values.port === undefined ? 8787 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port: ${values.port}`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) fail(`invalid --seed: ${values.seed}`);
  let rateLimit = null;
  if (values["rate-limit"] !== undefined) {
    try {
      rateLimit = parseRateLimit(values["rate-limit"]);
    } catch (err) {
      fail(`invalid --rate-limit: ${(err as Error).message}`);
    }
  }
  const transitions = orFail(() => (values.transition ?? []).map((t) => parseTransitionFlag(t)));
  const chaos = orFail(() => (values.chaos === undefined ? undefined : parseChaosFlag(values.chaos)));
  const latencyMs = values["latency-ms"] === undefined ? 0 : Number(values["latency-ms"]);
  if (!Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > 60_000) fail(`invalid --latency-ms: ${values["latency-ms"]}`);
  const emu = await startEmulator({
    host: values.host ?? "127.0.0.1",
    port,
    dataFile: values.data,
    authId: values["auth-id"],
    authToken: values["auth-token"],
    rateLimit,
    seed,
    logger: values.log ?? false,
    transitions,
    latencyMs,
    chaos,
    controlToken: values["control-token"],
    allowedHosts: values["allowed-host"],
    // test and benchmark knob: compact the journal after this many bytes
    persistence: process.env.PLIVO_EMULATOR_COMPACT_AFTER_BYTES ? { compactAfterBytes: Number(process.env.PLIVO_EMULATOR_COMPACT_AFTER_BYTES) } : undefined,
  });
  process.stdout.write(
    `Plivo emulator listening on ${emu.url}\n` + `PLIVO_AUTH_ID=${emu.authId}\n` + `PLIVO_AUTH_TOKEN=${emu.authToken}\n` + `PLIVO_BASE_URL=${emu.url}\n`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    emu.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`error while stopping on ${signal}: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

/** `f()`, or its error's message and exit 2. */
function orFail<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    fail((err as Error).message);
  }
}

function fail(msg: string): never {
  process.stderr.write(`plivo-emulator: ${msg}\n`);
  process.exit(2);
}

main().catch((err) => {
  process.stderr.write(`plivo-emulator: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
