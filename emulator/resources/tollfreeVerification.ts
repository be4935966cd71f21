/**
 * Toll-free verification (docs/plivo-api.md §10): `/TollfreeVerification/`.
 *
 *   POST   TollfreeVerification/          201 {api_id, message:"created", uuid}
 *   GET    TollfreeVerification/          {api_id, meta, objects}  filters number, status, profile_uuid, usecase, created[__gt|__gte|__lt|__lte]
 *   GET    TollfreeVerification/{uuid}/   the FLAT object + api_id
 *   POST   TollfreeVerification/{uuid}/   202 "Tollfree verification request for uuid U updated successfully." —
 *                                         only SUBMITTED or UPDATE_REQUIRED; an update in UPDATE_REQUIRED resubmits
 *   DELETE TollfreeVerification/{uuid}/   204 — only SUBMITTED, PROCESSING or UPDATE_REQUIRED
 *
 * status SUBMITTED → PROCESSING → APPROVED | REJECTED | UPDATE_REQUIRED (transition manager);
 * UPDATE_REQUIRED → REJECTED when not updated within six days (emulator clock).
 * The number mirrors it: `toll_free_sms_verification` UNVERIFIED → PENDING_VERIFICATION → VERIFIED,
 * `toll_free_sms_verification_id`, `toll_free_sms_verification_order_status`.
 */
import type { FastifyInstance } from "fastify";
import type { Ctx } from "../context";
import type { State } from "../store";
import { sendCallback } from "../callbacks";
import {
  badRequest, isHttpUrl, isoMicros, normalizeNumber, notFound, paginate, requestParams, send, sendEmpty, uuid, type Params,
} from "../http";
import {
  UPDATE_REQUIRED_TIMEOUT_MS, cancel, countRead, initTransitionsState, markDirty, pendingPhase, persistIfDirty,
  registerAsyncHandler, submit,
} from "../transitions";
import { findNumber } from "./numbers";
import { findProfile } from "./profile";
import { defineResource } from "./registry";

export const TFV_USECASES = [
  "2FA", "ACCOUNT_NOTIFICATION", "CUSTOMER_CARE", "DELIVERY_NOTIFICATION", "FRAUD_ALERT", "HIGHER_EDUCATION",
  "MARKETING", "POLLING_VOTING", "PUBLIC_SERVICE_ANNOUNCEMENT", "SECURITY_ALERT",
] as const;
export const OPTIN_TYPES = ["VERBAL", "WEB_FORM", "PAPER_FORM", "VIA_TEXT", "MOBILE_QR_CODE"] as const;
/** "One of the following exact values" — the list is not published; the industry form's list (docs/plivo-api.md §14.7). */
export const TFV_VOLUMES = [
  "10", "100", "1,000", "10,000", "100,000", "250,000", "500,000", "750,000", "1,000,000", "5,000,000", "10,000,000+",
] as const;
export const TFV_STATUSES = ["SUBMITTED", "PROCESSING", "APPROVED", "REJECTED", "UPDATE_REQUIRED"] as const;
export type TfvStatus = (typeof TFV_STATUSES)[number];
/** stored statuses (PROCESSING is derived from the pending phase) */
type StoredStatus = Exclude<TfvStatus, "PROCESSING">;

export const TFV_NUMBER_MESSAGE = "Only US and Canadian toll-free numbers will be accepted. Only one toll-free number can be provided.";
export const DEFAULT_REJECTION = "The opt-in evidence does not demonstrate consent for the described use case.";
export const DEFAULT_UPDATE_REQUIRED = "Please provide a publicly reachable URL showing the opt-in flow.";
export const UPDATE_TIMEOUT_MESSAGE = "The request was not updated within six days of being marked UPDATE_REQUIRED.";

const UPDATE_PARAMS = [
  "profile_uuid", "usecase", "usecase_summary", "message_sample", "optin_image_url", "optin_type", "volume",
  "additional_information", "extra_data", "callback_url", "callback_method",
] as const;

export interface TfvRecord {
  uuid: string;
  profile_uuid: string;
  number: string;
  /** comma-joined, upper case, e.g. "2FA,CUSTOMER_CARE" */
  usecase: string;
  usecase_summary: string;
  message_sample: string;
  optin_image_url: string;
  optin_type: string;
  volume: string;
  additional_information: string;
  extra_data: string;
  callback_url: string;
  callback_method: "GET" | "POST";
  status: StoredStatus;
  error_message: string;
  created: string;
  last_modified: string;
  /** when it turned UPDATE_REQUIRED (emulator clock, ISO) */
  update_required_at?: string;
}

declare module "../store" {
  interface State {
    tollfree_verifications: TfvRecord[];
  }
}

export function findTfv(state: State, id: string): TfvRecord | undefined {
  return state.tollfree_verifications.find((t) => t.uuid === id);
}

/** The status as the API shows it: a pending request is SUBMITTED, then PROCESSING. */
function statusOf(ctx: Ctx, t: TfvRecord): TfvStatus {
  if (t.status === "SUBMITTED" && pendingPhase(ctx, "tfv", t.uuid) === "late") return "PROCESSING";
  return t.status;
}

function tfvObject(ctx: Ctx, t: TfvRecord): Record<string, unknown> {
  return {
    uuid: t.uuid,
    profile_uuid: t.profile_uuid,
    number: t.number,
    usecase: t.usecase,
    usecase_summary: t.usecase_summary,
    message_sample: t.message_sample,
    optin_image_url: t.optin_image_url,
    optin_type: t.optin_type,
    volume: t.volume,
    additional_information: t.additional_information,
    extra_data: t.extra_data,
    callback_url: t.callback_url,
    callback_method: t.callback_method,
    status: statusOf(ctx, t),
    error_message: t.error_message,
    created: t.created,
    last_modified: t.last_modified,
  };
}

function mirror(ctx: Ctx, t: TfvRecord, removed = false): void {
  const n = findNumber(ctx.state, t.number);
  if (!n) return;
  if (removed) {
    if (n.toll_free_sms_verification_id !== t.uuid) return;
    n.toll_free_sms_verification = "UNVERIFIED";
    n.toll_free_sms_verification_id = null;
    n.toll_free_sms_verification_order_status = null;
    return;
  }
  n.toll_free_sms_verification =
    t.status === "APPROVED" ? "VERIFIED" : t.status === "REJECTED" ? "UNVERIFIED" : "PENDING_VERIFICATION";
  n.toll_free_sms_verification_id = t.uuid;
  n.toll_free_sms_verification_order_status = statusOf(ctx, t);
}

function tfvCallback(ctx: Ctx, t: TfvRecord): void {
  sendCallback(ctx, {
    resource: "tfv",
    id: t.uuid,
    status: t.status,
    url: t.callback_url,
    method: t.callback_method,
    payload: {
      uuid: t.uuid,
      number: t.number,
      profile_uuid: t.profile_uuid,
      status: t.status,
      error_message: t.error_message,
      extra_data: t.extra_data,
    },
  });
}

function setStatus(ctx: Ctx, t: TfvRecord, status: StoredStatus, message: string): void {
  t.status = status;
  t.error_message = message;
  t.last_modified = isoMicros(ctx.now());
  if (status === "UPDATE_REQUIRED") t.update_required_at = ctx.now().toISOString();
  else delete t.update_required_at;
  mirror(ctx, t);
  tfvCallback(ctx, t);
}

function resolveTfv(ctx: Ctx, id: string, outcome: string, reason: string | undefined, via: "policy" | "control"): string {
  const t = findTfv(ctx.state, id);
  if (!t) return "NOT_FOUND";
  // the carrier decides on pending requests, and again on UPDATE_REQUIRED ones (only through /resolve)
  const open = t.status === "SUBMITTED" || (via === "control" && t.status === "UPDATE_REQUIRED");
  if (!open) {
    if (via === "control") throw badRequest(`tollfree verification ${id} is ${t.status}; no transition applies`);
    return t.status;
  }
  switch (outcome) {
    case "success":
      setStatus(ctx, t, "APPROVED", "");
      break;
    case "failure":
      setStatus(ctx, t, "REJECTED", reason ?? DEFAULT_REJECTION);
      break;
    case "update_required":
      if (t.status === "UPDATE_REQUIRED") throw badRequest(`tollfree verification ${id} is already UPDATE_REQUIRED`);
      setStatus(ctx, t, "UPDATE_REQUIRED", reason ?? DEFAULT_UPDATE_REQUIRED);
      break;
    case "expire":
      setStatus(ctx, t, "REJECTED", reason ?? UPDATE_TIMEOUT_MESSAGE);
      break;
    default:
      throw badRequest(`outcome ${outcome} does not apply to a tollfree verification`);
  }
  return t.status;
}

/** UPDATE_REQUIRED for six days (emulator clock) → REJECTED */
function sweepTfv(ctx: Ctx): boolean {
  const now = ctx.now().getTime();
  let changed = false;
  for (const t of ctx.state.tollfree_verifications ?? []) {
    if (t.status !== "UPDATE_REQUIRED" || !t.update_required_at) continue;
    if (now - Date.parse(t.update_required_at) >= UPDATE_REQUIRED_TIMEOUT_MS) {
      setStatus(ctx, t, "REJECTED", UPDATE_TIMEOUT_MESSAGE);
      changed = true;
    }
  }
  if (changed) markDirty(ctx);
  return changed;
}

// ---------------------------------------------------------------------------
// parameters

function usecases(p: Params, required: boolean): string | undefined {
  const v = p.str("usecase", { required });
  if (v === undefined) return undefined;
  const list = v.split(",").map((x) => x.trim().toUpperCase()).filter(Boolean);
  if (list.length === 0) throw p.missing("usecase");
  const bad = list.filter((x) => !(TFV_USECASES as readonly string[]).includes(x));
  if (bad.length) throw badRequest(`usecase must be a comma-separated list of: ${TFV_USECASES.join(", ")} (got ${bad.join(", ")})`);
  return [...new Set(list)].join(",");
}

function optinUrls(p: Params, required: boolean): string | undefined {
  const v = p.str("optin_image_url", { required });
  if (v === undefined) return undefined;
  const list = v.split(",").map((x) => x.trim()).filter(Boolean);
  if (list.length === 0 || list.some((u) => !isHttpUrl(u))) throw badRequest("optin_image_url must be one or more valid URLs separated by commas");
  return list.join(",");
}

function volume(p: Params, required: boolean): string | undefined {
  const v = p.str("volume", { required });
  if (v === undefined) return undefined;
  const hit = TFV_VOLUMES.find((x) => x === v.trim());
  if (!hit) throw badRequest(`volume must be one of: ${TFV_VOLUMES.join(" | ")}`);
  return hit;
}

function callbackUrl(p: Params): string | undefined {
  const v = p.str("callback_url", { emptyIsAbsent: false });
  if (v === undefined || v === "") return v;
  if (!isHttpUrl(v)) throw badRequest("callback_url is not a valid URL");
  return v;
}

function profileRef(ctx: Ctx, p: Params, required: boolean): string | undefined {
  const v = p.str("profile_uuid", { required });
  if (v === undefined) return undefined;
  if (!findProfile(ctx.state, v)) throw badRequest(`profile_uuid ${v} is not a valid profile`);
  return v;
}

function createdFilter(p: Params, created: string): boolean {
  const day = created.slice(0, 10);
  const ops: Array<[string, (a: string, b: string) => boolean]> = [
    ["", (a, b) => a === b],
    ["__gt", (a, b) => a > b],
    ["__gte", (a, b) => a >= b],
    ["__lt", (a, b) => a < b],
    ["__lte", (a, b) => a <= b],
  ];
  for (const [suffix, cmp] of ops) {
    const v = p.str("created" + suffix);
    if (v === undefined) continue;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw badRequest(`created${suffix} must be a date (YYYY-MM-DD)`);
    if (!cmp(day, v)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// routes

function register(api: FastifyInstance, ctx: Ctx): void {
  api.post("/TollfreeVerification/", async (req, reply) => {
    const state = ctx.state;
    const p = requestParams(req);
    const profileUuid = profileRef(ctx, p, true) as string;
    const rawNumber = p.raw.number;
    if (rawNumber === undefined || rawNumber === null || rawNumber === "") throw p.missing("number");
    if (Array.isArray(rawNumber) || (typeof rawNumber === "string" && /[,;]/.test(rawNumber))) throw badRequest(TFV_NUMBER_MESSAGE);
    const number = p.phone("number", { required: true }) as string;
    const usecase = usecases(p, true) as string;
    const summary = p.str("usecase_summary", { required: true, max: 500 }) as string;
    const sample = p.str("message_sample", { required: true, max: 1000 }) as string;
    const optin = optinUrls(p, true) as string;
    const optinType = p.enum("optin_type", OPTIN_TYPES, { required: true });
    const vol = volume(p, true) as string;
    const info = p.str("additional_information", { max: 500 }) ?? "";
    const extra = p.str("extra_data", { max: 500 }) ?? "";
    const cbUrl = callbackUrl(p) ?? "";
    const cbMethod = p.enum("callback_method", ["GET", "POST"] as const) ?? "POST";
    const n = findNumber(state, number);
    if (!n) throw badRequest(`number ${number} is not rented in this account. ${TFV_NUMBER_MESSAGE}`);
    if (n.number_type !== "tollfree" || (n.country_iso2 !== "US" && n.country_iso2 !== "CA")) {
      throw badRequest(`number ${number}: ${TFV_NUMBER_MESSAGE}`);
    }
    const open = state.tollfree_verifications.find((t) => t.number === number && t.status !== "REJECTED");
    if (open) {
      throw badRequest(`number ${number} already has a toll-free verification request (${open.uuid}, status ${statusOf(ctx, open)})`);
    }
    const now = isoMicros(ctx.now());
    const rec: TfvRecord = {
      uuid: uuid(),
      profile_uuid: profileUuid,
      number,
      usecase,
      usecase_summary: summary,
      message_sample: sample,
      optin_image_url: optin,
      optin_type: optinType,
      volume: vol,
      additional_information: info,
      extra_data: extra,
      callback_url: cbUrl,
      callback_method: cbMethod,
      status: "SUBMITTED",
      error_message: "",
      created: now,
      last_modified: now,
    };
    state.tollfree_verifications.push(rec);
    mirror(ctx, rec);
    tfvCallback(ctx, rec);
    submit(ctx, "tfv", rec.uuid, { number });
    return send(reply, 201, { message: "created", uuid: rec.uuid });
  });

  api.get("/TollfreeVerification/", async (req, reply) => {
    const p = requestParams(req);
    const numberRaw = p.str("number");
    const number = numberRaw === undefined ? undefined : normalizeNumber(numberRaw);
    const status = p.enum("status", TFV_STATUSES);
    const profileUuid = p.str("profile_uuid");
    const usecase = usecases(p, false);
    const candidates = ctx.state.tollfree_verifications.filter(
      (t) =>
        (number === undefined || t.number === number) &&
        (profileUuid === undefined || t.profile_uuid === profileUuid) &&
        (usecase === undefined || t.usecase === usecase) &&
        createdFilter(p, t.created),
    );
    for (const t of candidates) countRead(ctx, "tfv", t.uuid);
    const items = candidates.filter((t) => status === undefined || statusOf(ctx, t) === status);
    for (const t of items) mirror(ctx, t);
    const page = paginate(req, items);
    await persistIfDirty(ctx);
    return send(reply, 200, { meta: page.meta, objects: page.objects.map((t) => tfvObject(ctx, t)) });
  });

  api.get<{ Params: { uuid: string } }>("/TollfreeVerification/:uuid/", async (req, reply) => {
    const id = req.params.uuid;
    if (!findTfv(ctx.state, id)) throw notFound();
    countRead(ctx, "tfv", id);
    const t = findTfv(ctx.state, id) as TfvRecord;
    mirror(ctx, t);
    await persistIfDirty(ctx);
    return send(reply, 200, tfvObject(ctx, t));
  });

  api.post<{ Params: { uuid: string } }>("/TollfreeVerification/:uuid/", async (req, reply) => {
    const t = findTfv(ctx.state, req.params.uuid);
    if (!t) throw notFound();
    const p = requestParams(req);
    const status = statusOf(ctx, t);
    if (status !== "SUBMITTED" && status !== "UPDATE_REQUIRED") {
      throw badRequest(
        `Tollfree verification request ${t.uuid} cannot be updated in ${status} status; updates are allowed only in SUBMITTED or UPDATE_REQUIRED status`,
      );
    }
    if (p.has("number")) throw badRequest("number cannot be updated; submit a new verification request instead");
    p.rejectUnknown(UPDATE_PARAMS);
    if (p.keys().length === 0) throw badRequest(`provide at least one of: ${UPDATE_PARAMS.join(", ")}`);
    const patch: Partial<TfvRecord> = {
      profile_uuid: profileRef(ctx, p, false),
      usecase: usecases(p, false),
      usecase_summary: p.str("usecase_summary", { max: 500 }),
      message_sample: p.str("message_sample", { max: 1000 }),
      optin_image_url: optinUrls(p, false),
      optin_type: p.enum("optin_type", OPTIN_TYPES),
      volume: volume(p, false),
      additional_information: p.has("additional_information") ? p.strOrEmpty("additional_information", 500) : undefined,
      extra_data: p.has("extra_data") ? p.strOrEmpty("extra_data", 500) : undefined,
      callback_url: callbackUrl(p),
      callback_method: p.enum("callback_method", ["GET", "POST"] as const),
    };
    for (const [k, v] of Object.entries(patch)) {
      if (v !== undefined) (t as unknown as Record<string, unknown>)[k] = v;
    }
    t.last_modified = isoMicros(ctx.now());
    if (t.status === "UPDATE_REQUIRED") {
      // back to the carrier
      setStatus(ctx, t, "SUBMITTED", "");
      submit(ctx, "tfv", t.uuid, { number: t.number });
    } else {
      ctx.record({ action: "update", resource: "tfv", id: t.uuid });
    }
    return send(reply, 202, { message: `Tollfree verification request for uuid ${t.uuid} updated successfully.` });
  });

  api.delete<{ Params: { uuid: string } }>("/TollfreeVerification/:uuid/", async (req, reply) => {
    const state = ctx.state;
    const t = findTfv(state, req.params.uuid);
    if (!t) throw notFound();
    const status = statusOf(ctx, t);
    if (status === "APPROVED" || status === "REJECTED") {
      throw badRequest(
        `Tollfree verification request ${t.uuid} cannot be deleted in ${status} status; only SUBMITTED, PROCESSING or UPDATE_REQUIRED requests can be deleted`,
      );
    }
    state.tollfree_verifications = state.tollfree_verifications.filter((x) => x !== t);
    cancel(ctx, "tfv", t.uuid);
    mirror(ctx, t, true);
    ctx.record({ action: "delete", resource: "tfv", id: t.uuid, number: t.number });
    return sendEmpty(reply, 204);
  });
}

export default defineResource({
  name: "tollfreeVerification",
  initState(state) {
    initTransitionsState(state);
    state.tollfree_verifications ??= [];
  },
  setup(ctx) {
    registerAsyncHandler({
      kind: "tfv",
      status: (c, id) => {
        const t = findTfv(c.state, id);
        return t ? statusOf(c, t) : undefined;
      },
      resolve: resolveTfv,
      sweep: sweepTfv,
    });
    // Only requests that can still be deleted through the API hold the profile (APPROVED/REJECTED
    // requests cannot be deleted, so they must not make the profile undeletable forever).
    ctx.hooks.guard("profile", (state, uuidArg) => {
      const t = (state.tollfree_verifications ?? []).find(
        (x) => x.profile_uuid === uuidArg && x.status !== "APPROVED" && x.status !== "REJECTED",
      );
      return t ? `profile is in use by toll-free verification ${t.uuid} (${t.status}); delete it first` : undefined;
    });
  },
  routes: register,
});
