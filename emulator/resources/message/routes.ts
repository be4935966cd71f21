/**
 * Message routes (docs/plivo-api.md §15):
 *
 *   POST /Message/                     202 {api_id, message:"message(s) queued", message_uuid:[…], invalid_number?:[…]}
 *   GET  /Message/                     {api_id, meta, objects}  newest first; filters below; the last 24 hours by default
 *   GET  /Message/{uuid}/              the MDR + api_id
 *   GET  /Message/{uuid}/Media/        {api_id, objects}
 *   control: POST /__emulator/messages/inbound {from, to, text?, type?, media_urls?}  a handset writes to a number
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Ctx } from "../../context";
import { badRequest, isHttpUrl, normalizeNumber, notFound, paginate, requestParams, send, type Params } from "../../http";
import { PathId, parseBody, pathParams } from "../../schemas";
import { mediaObject } from "../media/routes";
import { defineResource } from "../registry";
import { MessageBackend, mdrTime, messageLifecycle, smsUnits, type LogSetting, type MessageRecord, type SendInput } from "./backend";
import { sanitizeDestination } from "./geo";

const MessagePath = z.object({ uuid: PathId });
const MESSAGE_STATES = ["queued", "sent", "failed", "delivered", "undelivered", "received", "rejected"] as const;
const LOG_SETTINGS: readonly LogSetting[] = ["true", "false", "content_only", "number_only"];
const DLT_CATEGORIES = ["transactional", "promotional", "service_implicit", "service_explicit"] as const;
const MAX_DESTINATIONS = 1000;
const MAX_MEDIA = 10;

/** `14155550100` → `141XXXXX100`: what a message sent with `log` false shows of the other party. */
function mask(n: string): string {
  return n.length <= 6 ? "X".repeat(n.length) : n.slice(0, 3) + "X".repeat(n.length - 6) + n.slice(-3);
}

export function mdrObject(ctx: Ctx, m: MessageRecord): Record<string, unknown> {
  const hide = m.log === "false" || m.log === "content_only";
  const outbound = m.message_direction === "outbound";
  return {
    carrier_fees: "0.00000",
    carrier_fees_rate: "0.00000",
    conversation_expiration_timestamp: "",
    conversation_id: "",
    conversation_origin: "",
    destination_country_iso2: m.destination_country_iso2,
    destination_network: null,
    dlt_entity_id: m.dlt_entity_id,
    dlt_template_category: m.dlt_template_category,
    dlt_template_id: m.dlt_template_id,
    error_code: m.error_code,
    error_message: m.error_message,
    from_number: !outbound && hide ? mask(m.from_number) : m.from_number,
    is_domestic: false,
    log: m.log,
    mcc: null,
    message_direction: m.message_direction,
    message_sent_time: mdrTime(m.sent_at),
    message_state: m.message_state,
    message_time: mdrTime(m.created_at),
    message_type: m.message_type,
    message_updated_time: mdrTime(m.updated_at),
    message_uuid: m.message_uuid,
    mnc: null,
    powerpack_id: m.powerpack_id,
    replaced_sender: "",
    requester_ip: m.requester_ip,
    resource_uri: ctx.uri(`Message/${m.message_uuid}/`),
    tendlc_campaign_id: m.tendlc_campaign_id,
    tendlc_registration_status: m.tendlc_registration_status,
    to_number: outbound && hide ? mask(m.to_number) : m.to_number,
    total_amount: m.total_amount,
    total_rate: m.total_rate,
    units: m.units,
  };
}

// ---------------------------------------------------------------------------
// parameters

/** A list given as a JSON array or a comma-separated string. */
function listParam(p: Params, name: string): string[] {
  const v = p.raw[name];
  if (v === undefined || v === null || v === "") return [];
  const items = Array.isArray(v) ? v : typeof v === "string" ? v.split(",") : undefined;
  if (!items || items.some((x) => typeof x !== "string")) throw badRequest(`${name} must be a list of strings or a comma-separated string`);
  return (items as string[]).map((x) => x.trim()).filter(Boolean);
}

function destinations(p: Params): { valid: string[]; invalid: string[] } {
  const raw = p.raw.dst;
  if (raw === undefined || raw === null || raw === "") throw p.missing("dst");
  const parts = Array.isArray(raw) ? raw.map(String) : typeof raw === "string" || typeof raw === "number" ? String(raw).split("<") : undefined;
  if (!parts) throw badRequest("dst must be a string (several numbers separated by <)");
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const part of parts.map((x) => x.trim()).filter(Boolean)) {
    const n = sanitizeDestination(part);
    if (n === null) invalid.push(part);
    else if (!valid.includes(n)) valid.push(n);
  }
  if (valid.length > MAX_DESTINATIONS) throw badRequest(`dst: at most ${MAX_DESTINATIONS} unique destination numbers per request (got ${valid.length})`);
  if (valid.length === 0) throw badRequest(`dst: no valid destination number (invalid: ${invalid.join(", ")})`);
  return { valid, invalid };
}

function parseSend(req: FastifyRequest): { input: SendInput; invalid: string[] } {
  const p = requestParams(req);
  if (p.given("callback_url")) throw badRequest("callback_url: the asynchronous API mode is not emulated; send without it");
  const src = p.str("src");
  const powerpackUuid = p.str("powerpack_uuid");
  if (src !== undefined && powerpackUuid !== undefined) throw badRequest("src and powerpack_uuid cannot both be given: use one of them");
  if (src === undefined && powerpackUuid === undefined) throw badRequest("src or powerpack_uuid is required");
  let sender: string | undefined;
  if (src !== undefined) {
    sender = src.replace(/[^A-Za-z0-9]/g, ""); // the docs' sanitisation
    if (sender === "") throw badRequest("src is not a valid sender ID");
    if (/^\d+$/.test(sender) ? sender.length > 14 : sender.length > 11) {
      throw badRequest("src must be a number of at most 14 digits or an alphanumeric sender ID of at most 11 characters");
    }
  }
  const type = p.enum("type", ["sms", "mms", "whatsapp"] as const) ?? "sms";
  if (type === "whatsapp") throw badRequest("type whatsapp is not emulated (sms and mms are)");
  const text = p.str("text", { required: type === "sms" }) ?? "";
  if (type === "sms") {
    const { encoding, length } = smsUnits(text);
    const max = encoding === "GSM" ? 1600 : 737;
    if (length > max) throw badRequest(`text must be at most ${max} characters with ${encoding} encoding (got ${length})`);
  }
  const mediaUrls = type === "mms" ? listParam(p, "media_urls") : [];
  const mediaIds = type === "mms" ? listParam(p, "media_ids") : [];
  if (type === "mms") {
    if (mediaUrls.length + mediaIds.length === 0) throw badRequest("media_urls parameter is missing (an mms message needs media_urls or media_ids)");
    if (mediaUrls.length + mediaIds.length > MAX_MEDIA) throw badRequest(`media_urls: at most ${MAX_MEDIA} media per message`);
    const bad = mediaUrls.find((u) => !isHttpUrl(u));
    if (bad) throw badRequest(`media_urls: ${bad} is not a valid URL`);
  }
  const url = p.str("url");
  if (url !== undefined && !isHttpUrl(url)) throw badRequest("url is not a valid URL");
  const logRaw = p.raw.log;
  const log = typeof logRaw === "boolean" ? (String(logRaw) as LogSetting) : (p.enum("log", LOG_SETTINGS) ?? "true");
  const { valid, invalid } = destinations(p);
  return {
    invalid,
    input: {
      src: sender,
      powerpackUuid,
      destinations: valid,
      text,
      type,
      mediaUrls,
      mediaIds,
      url,
      method: p.enum("method", ["GET", "POST"] as const) ?? "POST",
      log,
      trackable: p.bool("trackable") ?? false,
      messageExpiry: p.int("message_expiry", { min: 5, max: 10_800 }),
      dlt: {
        entity_id: p.str("dlt_entity_id") ?? "",
        template_id: p.str("dlt_template_id") ?? "",
        template_category: p.enum("dlt_template_category", DLT_CATEGORIES) ?? "",
      },
      requesterIp: req.ip,
    },
  };
}

/** `YYYY-MM-DD HH:MM[:ss[.uuuuuu]]`, UTC (the list's `message_time` filters). */
function parseTime(name: string, v: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})(:\d{2}(\.\d{1,6})?)?$/.exec(v.trim());
  const t = m ? Date.parse(`${m[1]}T${m[2]}${m[3] ? m[3].slice(0, 7) : ":00"}Z`) : NaN;
  if (Number.isNaN(t)) throw badRequest(`${name} must look like YYYY-MM-DD HH:MM[:ss[.uuuuuu]] (UTC)`);
  return t;
}

type Filter = (m: MessageRecord) => boolean;

function listFilters(ctx: Ctx, p: Params): { filters: Filter[]; state?: string } {
  const filters: Filter[] = [];
  const eq = (name: string, field: keyof MessageRecord, norm: (s: string) => string = (s) => s) => {
    const v = p.str(name);
    if (v !== undefined) filters.push((m) => String(m[field] ?? "") === norm(v));
  };
  const direction = p.enum("message_direction", ["inbound", "outbound"] as const);
  if (direction) filters.push((m) => m.message_direction === direction);
  const type = p.enum("message_type", ["sms", "mms", "whatsapp"] as const);
  if (type) filters.push((m) => m.message_type === type);
  eq("error_code", "error_code");
  eq("powerpack_id", "powerpack_id");
  eq("from_number", "from_number", (s) => (/^[+\d\s()-]+$/.test(s) ? normalizeNumber(s) : s));
  eq("to_number", "to_number", normalizeNumber);
  eq("destination_country_iso2", "destination_country_iso2", (s) => s.toUpperCase());
  eq("tendlc_registration_status", "tendlc_registration_status", (s) => s.toLowerCase());
  eq("tendlc_campaign_id", "tendlc_campaign_id");
  if (p.str("conversation_id") !== undefined || p.str("conversation_origin") !== undefined) filters.push(() => false); // WhatsApp only
  let timed = false;
  for (const [suffix, cmp] of [
    ["", (a: number, b: number) => a === b],
    ["__gt", (a: number, b: number) => a > b],
    ["__gte", (a: number, b: number) => a >= b],
    ["__lt", (a: number, b: number) => a < b],
    ["__lte", (a: number, b: number) => a <= b],
  ] as const) {
    const v = p.str(`message_time${suffix}`);
    if (v === undefined) continue;
    const t = parseTime(`message_time${suffix}`, v);
    timed = true;
    filters.push((m) => cmp(Date.parse(m.created_at), t));
  }
  // without a message_time filter Plivo returns the last 24 hours
  if (!timed) {
    const since = ctx.now().getTime() - 86400_000;
    filters.push((m) => Date.parse(m.created_at) >= since);
  }
  return { filters, state: p.enum("message_state", MESSAGE_STATES) };
}

function register(api: FastifyInstance, ctx: Ctx): void {
  const messages = ctx.backends.messages;

  api.post("/Message/", async (req, reply) => {
    const { input, invalid } = parseSend(req);
    const uuids = messages.send(input);
    return send(reply, 202, { message: "message(s) queued", message_uuid: uuids, ...(invalid.length ? { invalid_number: invalid } : {}) });
  });

  api.get("/Message/", async (req, reply) => {
    const p = requestParams(req);
    const { filters, state } = listFilters(ctx, p);
    const candidates = messages.list().filter((m) => filters.every((f) => f(m)));
    for (const m of candidates) if (ctx.engine.isPending(messageLifecycle.kind, m.message_uuid)) messages.read(m.message_uuid);
    const shown = candidates.map((m) => messages.get(m.message_uuid)!).filter((m) => state === undefined || m.message_state === state);
    const page = paginate(req, shown);
    return send(reply, 200, { meta: page.meta, objects: page.objects.map((m) => mdrObject(ctx, m)) });
  });

  api.get("/Message/:uuid/", async (req, reply) => {
    const { uuid } = pathParams(MessagePath, req);
    if (!messages.get(uuid)) throw notFound();
    messages.read(uuid);
    return send(reply, 200, mdrObject(ctx, messages.get(uuid)!));
  });

  api.get("/Message/:uuid/Media/", async (req, reply) => {
    const m = messages.get(pathParams(MessagePath, req).uuid);
    if (!m) throw notFound();
    // a message logged without its content (log false / number_only) lists no media
    const hidden = m.log === "false" || m.log === "number_only";
    const media = hidden ? [] : m.media_ids.map((id) => ctx.backends.media.get(id)).filter((x) => x !== undefined);
    return send(reply, 200, { objects: media.map((x) => ({ ...mediaObject(x), message_uuid: m.message_uuid })) });
  });
}

const InboundBody = z.strictObject({
  from: z.string().regex(/^\+?[\d\s().-]{4,20}$/, "must be a phone number"),
  to: z.string().regex(/^\+?[\d\s().-]{4,20}$/, "must be a phone number"),
  text: z.string().max(1600).default(""),
  type: z.enum(["sms", "mms"]).default("sms"),
  media_urls: z.array(z.string().url()).max(MAX_MEDIA).default([]),
});

function control(app: FastifyInstance, ctx: Ctx): void {
  app.post("/messages/inbound", async (req, reply) => {
    const b = parseBody(InboundBody, req.body ?? {});
    const m = ctx.backends.messages.receive({ from: normalizeNumber(b.from), to: normalizeNumber(b.to), text: b.text, type: b.type, mediaUrls: b.media_urls });
    return reply.code(201).send({ message_uuid: m.message_uuid, message_state: m.message_state, powerpack_id: m.powerpack_id });
  });
}

export default defineResource({
  name: "message",
  mainOnly: "the Message API (the emulator does not model subaccount messaging yet)",
  lifecycles: [messageLifecycle],
  setup(ctx) {
    (ctx.backends as { messages: MessageBackend }).messages = new MessageBackend(ctx);
  },
  routes: register,
  control,
});
