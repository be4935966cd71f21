/**
 * Toll-free verification routes (docs/plivo-api.md §10): `/TollfreeVerification/`.
 *
 *   POST   TollfreeVerification/          201 {api_id, message:"created", uuid}
 *   GET    TollfreeVerification/          {api_id, meta, objects}  filters number, status, profile_uuid, usecase, created[__gt|__gte|__lt|__lte]
 *   GET    TollfreeVerification/{uuid}/   the FLAT object + api_id
 *   POST   TollfreeVerification/{uuid}/   202 — only SUBMITTED or UPDATE_REQUIRED; an update in UPDATE_REQUIRED resubmits
 *   DELETE TollfreeVerification/{uuid}/   204 — only SUBMITTED, PROCESSING or UPDATE_REQUIRED
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Ctx } from "../../context";
import { badRequest, isHttpUrl, normalizeNumber, notFound, paginate, requestParams, send, sendEmpty, type Params } from "../../http";
import { PathId, pathParams } from "../../schemas";
import { defineResource } from "../registry";
import {
  OPTIN_TYPES,
  TFV_NUMBER_MESSAGE,
  TFV_STATUSES,
  TFV_USECASES,
  TFV_VOLUMES,
  TollfreeVerificationBackend,
  UPDATE_PARAMS,
  tfvLifecycle,
  type TfvRecord,
} from "./backend";

const TfvPath = z.object({ uuid: PathId });

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
    status: ctx.backends.tollfreeVerifications.shownStatus(t),
    error_message: t.error_message,
    created: t.created,
    last_modified: t.last_modified,
  };
}

// ---------------------------------------------------------------------------
// parameters

function usecases(p: Params, required: boolean): string | undefined {
  const v = p.str("usecase", { required });
  if (v === undefined) return undefined;
  const list = v
    .split(",")
    .map((x) => x.trim().toUpperCase())
    .filter(Boolean);
  if (list.length === 0) throw p.missing("usecase");
  const bad = list.filter((x) => !(TFV_USECASES as readonly string[]).includes(x));
  if (bad.length) throw badRequest(`usecase must be a comma-separated list of: ${TFV_USECASES.join(", ")} (got ${bad.join(", ")})`);
  return [...new Set(list)].join(",");
}

function optinUrls(p: Params, required: boolean): string | undefined {
  const v = p.str("optin_image_url", { required });
  if (v === undefined) return undefined;
  const list = v
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
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
  if (!ctx.backends.profiles.get(v)) throw badRequest(`profile_uuid ${v} is not a valid profile`);
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
    const v = p.str(`created${suffix}`);
    if (v === undefined) continue;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw badRequest(`created${suffix} must be a date (YYYY-MM-DD)`);
    if (!cmp(day, v)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// routes

function register(api: FastifyInstance, ctx: Ctx): void {
  const tfvs = ctx.backends.tollfreeVerifications;

  api.post("/TollfreeVerification/", async (req, reply) => {
    const p = requestParams(req);
    const profileUuid = profileRef(ctx, p, true) as string;
    const rawNumber = p.raw.number;
    if (rawNumber === undefined || rawNumber === null || rawNumber === "") throw p.missing("number");
    if (Array.isArray(rawNumber) || (typeof rawNumber === "string" && /[,;]/.test(rawNumber))) throw badRequest(TFV_NUMBER_MESSAGE);
    const number = p.phone("number", { required: true }) as string;
    const rec = tfvs.create({
      profile_uuid: profileUuid,
      number,
      usecase: usecases(p, true) as string,
      usecase_summary: p.str("usecase_summary", { required: true, max: 500 }) as string,
      message_sample: p.str("message_sample", { required: true, max: 1000 }) as string,
      optin_image_url: optinUrls(p, true) as string,
      optin_type: p.enum("optin_type", OPTIN_TYPES, { required: true }),
      volume: volume(p, true) as string,
      additional_information: p.str("additional_information", { max: 500 }) ?? "",
      extra_data: p.str("extra_data", { max: 500 }) ?? "",
      callback_url: callbackUrl(p) ?? "",
      callback_method: p.enum("callback_method", ["GET", "POST"] as const) ?? "POST",
    });
    return send(reply, 201, { message: "created", uuid: rec.uuid });
  });

  api.get("/TollfreeVerification/", async (req, reply) => {
    const p = requestParams(req);
    const numberRaw = p.str("number");
    const number = numberRaw === undefined ? undefined : normalizeNumber(numberRaw);
    const status = p.enum("status", TFV_STATUSES);
    const profileUuid = p.str("profile_uuid");
    const usecase = usecases(p, false);
    const candidates = tfvs.tfvs.filter(
      (t) =>
        (number === undefined || t.number === number) &&
        (profileUuid === undefined || t.profile_uuid === profileUuid) &&
        (usecase === undefined || t.usecase === usecase) &&
        createdFilter(p, t.created),
    );
    for (const t of candidates) tfvs.read(t.uuid);
    const items = candidates.map((t) => tfvs.get(t.uuid)!).filter((t) => status === undefined || tfvs.shownStatus(t) === status);
    const page = paginate(req, items);
    return send(reply, 200, { meta: page.meta, objects: page.objects.map((t) => tfvObject(ctx, t)) });
  });

  api.get("/TollfreeVerification/:uuid/", async (req, reply) => {
    const { uuid } = pathParams(TfvPath, req);
    if (!tfvs.get(uuid)) throw notFound();
    tfvs.read(uuid);
    return send(reply, 200, tfvObject(ctx, tfvs.get(uuid)!));
  });

  api.post("/TollfreeVerification/:uuid/", async (req, reply) => {
    const { uuid } = pathParams(TfvPath, req);
    const t = tfvs.get(uuid);
    if (!t) throw notFound();
    tfvs.assertUpdatable(t);
    const p = requestParams(req);
    if (p.has("number")) throw badRequest("number cannot be updated; submit a new verification request instead");
    p.rejectUnknown(UPDATE_PARAMS);
    if (p.keys().length === 0) throw badRequest(`provide at least one of: ${UPDATE_PARAMS.join(", ")}`);
    tfvs.update(uuid, {
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
    });
    return send(reply, 202, { message: `Tollfree verification request for uuid ${uuid} updated successfully.` });
  });

  api.delete("/TollfreeVerification/:uuid/", async (req, reply) => {
    tfvs.delete(pathParams(TfvPath, req).uuid);
    return sendEmpty(reply, 204);
  });
}

export default defineResource({
  name: "tollfreeVerification",
  mainOnly: "toll-free verifications (/TollfreeVerification/)",
  lifecycles: [tfvLifecycle],
  setup(ctx) {
    const tfvs = new TollfreeVerificationBackend(ctx);
    (ctx.backends as { tollfreeVerifications: TollfreeVerificationBackend }).tollfreeVerifications = tfvs;
    ctx.hooks.guard("profile", (_ctx, uuid) => {
      const t = tfvs.openForProfile(uuid);
      return t ? `profile is in use by toll-free verification ${t.uuid} (${t.status}); delete it first` : undefined;
    });
  },
  routes: register,
});
