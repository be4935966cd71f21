export { startEmulator, buildApp, DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN } from "./server";
export type { EmulatorOptions, RunningEmulator, BuiltApp } from "./server";
export type { Fault, FaultMode, RequestLogEntry, RateLimit } from "./control";
export type { State, LedgerEntry, InventoryItem, Store } from "./store";
export type { Ctx, EmulatorEvents, Guard } from "./context";
export { defineResource, type ResourceModule } from "./resources/registry";
