export * from "./errors";
export * from "./plivoClient";
export * from "./rateLimiter";
export * from "./retry";
export { registerSecret, scrub, redactAccountPath, REDACTED } from "./redact";
