/**
 * Message backend (docs/plivo-api.md §15): message detail records (MDRs), outbound sending from `src` or through a
 * Powerpack (sender selection in senders.ts), inbound messages to the account's numbers, and the delivery lifecycle
 * queued → sent → delivered | undelivered | failed, run by the transition engine like every asynchronous resource.
 *
 * Status callbacks go to the message's `url` (form data, or the query string for GET); an inbound message goes to
 * the `message_url` of the application of the number it reached. A message sent to one of the account's own numbers
 * arrives there as an inbound message once delivered.
 */
import type { Ctx } from "../../context";
import { defineLifecycle, type LifecycleHandler, type Via } from "../../engine/lifecycle";
import { ApiError, badRequest, uuid } from "../../http";
import type { Table } from "../../store/table";
import type { AccountNumber } from "../numbers/backend";
import { isNorthAmerica, locate, type Destination } from "./geo";
import { selectSender, unusable, type SenderKind } from "./senders";
import { MESSAGE_RATES } from "../pricing/rates";

export type MessageState = "queued" | "sent" | "delivered" | "undelivered" | "failed" | "received";
export type LogSetting = "true" | "false" | "content_only" | "number_only";

export interface MessageRecord {
  message_uuid: string;
  message_direction: "outbound" | "inbound";
  message_type: "sms" | "mms";
  from_number: string;
  to_number: string;
  text: string;
  message_state: MessageState;
  /** emulator clock, ISO (filters, the daily count); the API shows Plivo's format */
  created_at: string;
  sent_at: string | null;
  delivery_report_at: string | null;
  updated_at: string;
  powerpack_id: string | null;
  units: number;
  total_rate: string;
  total_amount: string;
  error_code: string | null;
  error_message: string;
  destination_country_iso2: string | null;
  tendlc_registration_status: "registered" | "unregistered" | "not_applicable";
  tendlc_campaign_id: string | null;
  url: string | null;
  method: "GET" | "POST";
  log: LogSetting;
  trackable: boolean;
  message_expiry: number | null;
  dlt_entity_id: string;
  dlt_template_id: string;
  dlt_template_category: string;
  requester_ip: string;
  media_ids: string[];
  /** emulator: which kind of sender and why it was chosen (Powerpack selection), for the state page */
  sender: { kind: SenderKind | "external"; reason: string };
  /** emulator: a refusal decided at send time (the carrier blocks it), applied when the message is processed */
  blocked: { code: string; message: string } | null;
  /** status callbacks sent so far (their `Sequence`) */
  callbacks_sent: number;
}

interface StickyRecord {
  powerpack_uuid: string;
  to_number: string;
  from_number: string;
}

interface UsageRecord {
  number: string;
  /** UTC date on the emulator clock */
  date: string;
  count: number;
}

export interface SendInput {
  src?: string;
  powerpackUuid?: string;
  /** sanitised destinations (already split on `<`, deduplicated) */
  destinations: string[];
  text: string;
  type: "sms" | "mms";
  mediaUrls: string[];
  mediaIds: string[];
  url?: string;
  method: "GET" | "POST";
  log: LogSetting;
  trackable: boolean;
  messageExpiry?: number;
  dlt: { entity_id: string; template_id: string; template_category: string };
  requesterIp: string;
}

declare module "../../context" {
  interface Backends {
    messages: MessageBackend;
  }
}

export const messageLifecycle = defineLifecycle({
  kind: "message",
  statusField: "message_state",
  pending: ["queued", "sent"],
  // success: the carrier's delivery receipt; sent: no receipt ever comes (the final status stays sent)
  outcomes: { success: "delivered", failure: "failed", undelivered: "undelivered", sent: "sent" },
  ledger: { action: "send", resource: "message" },
  // messages move on by themselves, like Plivo's: sent after 1 s, delivered after 2 s (emulator clock)
  defaultPolicy: { mode: "seconds", seconds: 2, outcome: "success" },
  history: false, // the MDR carries its own times (sent, delivery report); thousands of messages would crowd out the registrations'
});

/** Plivo error codes the emulator uses (docs/plivo-api.md §15.4, §14.15). */
export const ERROR_CODES = { delivered: "000", failed: "20", undelivered: "10", source: "40" } as const;

/** Per-unit rates the emulator charges: US/CA SMS and MMS, elsewhere SMS (the fee schedule, pricing/rates.ts). */
const RATES = MESSAGE_RATES;

// GSM 03.38: the basic set counts 1, the extension table 2 (docs/plivo-api.md §15.2)
const GSM_BASIC = new Set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà");
const GSM_EXTENDED = new Set("^{}\\[~]|€\f");

/** Encoding, length (in characters of that encoding) and billed units of an SMS text. */
export function smsUnits(text: string): { encoding: "GSM" | "UCS-2"; length: number; units: number } {
  let gsm = 0;
  for (const ch of text) {
    if (GSM_BASIC.has(ch)) gsm += 1;
    else if (GSM_EXTENDED.has(ch)) gsm += 2;
    else {
      const length = text.length; // UTF-16 code units: an emoji counts two
      return { encoding: "UCS-2", length, units: length <= 70 ? 1 : Math.ceil(length / 67) };
    }
  }
  return { encoding: "GSM", length: gsm, units: gsm <= 160 ? 1 : Math.ceil(gsm / 153) };
}

/** `2021-07-13 13:04:06.799000+00:00`, the MDR's time format. */
export function mdrTime(iso: string | null): string | null {
  if (!iso) return null;
  return iso.replace("T", " ").replace("Z", "000+00:00");
}

/** `2021-07-13 13:04:06.799000`, the callbacks' time format. */
function callbackTime(iso: string | null): string | undefined {
  return iso ? iso.replace("T", " ").replace("Z", "000") : undefined;
}

/** A failure outcome's `reason`: "30" or "30 spam filter" chooses the error code, anything else is the message. */
function parseReason(reason: string | undefined, defaultCode: string): { code: string; message: string } {
  const m = /^\s*(\d{1,4})\b\s*[:-]?\s*(.*)$/s.exec(reason ?? "");
  if (m) return { code: m[1], message: m[2] };
  return { code: defaultCode, message: reason ?? "" };
}

export class MessageBackend implements LifecycleHandler {
  readonly messages: Table<MessageRecord>;
  private readonly sticky: Table<StickyRecord>;
  private readonly usage: Table<UsageRecord>;

  constructor(private readonly ctx: Ctx) {
    this.messages = ctx.store.table<MessageRecord>("messages", (m) => m.message_uuid);
    this.sticky = ctx.store.table<StickyRecord>("message_sticky_senders", (s) => `${s.powerpack_uuid}/${s.to_number}`);
    this.usage = ctx.store.table<UsageRecord>("message_daily_usage", (u) => `${u.number}/${u.date}`);
    ctx.engine.register(messageLifecycle, this);
    ctx.hooks.on("number.released", ({ number }) => this.sticky.deleteWhere((s) => s.from_number === number));
    ctx.hooks.on("powerpack.deleted", ({ uuid: pp }) => this.sticky.deleteWhere((s) => s.powerpack_uuid === pp));
  }

  get(id: string): MessageRecord | undefined {
    return this.messages.get(id);
  }

  /** Newest first. */
  list(): MessageRecord[] {
    return this.messages.all().reverse();
  }

  /** A GET of the message (or a list that shows it): the engine counts reads. */
  read(id: string): void {
    this.ctx.engine.read(messageLifecycle.kind, id);
  }

  usedToday(number: string): number {
    return this.usage.get(`${number}/${this.ctx.now().toISOString().slice(0, 10)}`)?.count ?? 0;
  }

  // ---------------------------------------------------------------------------------------------------------
  // sending

  /**
   * Send to every destination, all or nothing: the sender of each is decided (and every refusal raised) before any
   * message is recorded. Returns the new messages' uuids in the order of the destinations.
   */
  send(input: SendInput): string[] {
    const pp = input.powerpackUuid !== undefined ? this.ctx.backends.powerpacks.get(input.powerpackUuid) : undefined;
    if (input.powerpackUuid !== undefined && !pp) throw badRequest(`powerpack_uuid ${input.powerpackUuid} is not a Powerpack of this account`);
    if (input.mediaIds.length) this.ctx.backends.media.checkIds(input.mediaIds);
    const dests = input.destinations.map(locate);
    const plan = (d: Destination) => (pp ? this.fromPowerpack(pp.uuid, d, input.type) : this.fromSource(input.src!, d, input.type));
    for (const d of dests) plan(d); // refusals first: nothing is recorded when one destination cannot be served
    return dests.map((d) => this.record(input, d, plan(d), pp?.uuid ?? null));
  }

  private fromPowerpack(ppUuid: string, dest: Destination, type: "sms" | "mms"): Sender {
    const pp = this.ctx.backends.powerpacks.get(ppUuid)!;
    const numbers = this.ctx.backends.numbers;
    const selection = selectSender({
      powerpack: pp,
      members: this.ctx.backends.numberPool.membersOf(pp.number_pool_uuid),
      destination: dest,
      type,
      sticky: this.sticky.get(`${pp.uuid}/${dest.number}`)?.from_number,
      account: (n) => numbers.get(n),
      usedToday: (n) => this.usedToday(n),
    });
    if (!selection.ok) {
      throw badRequest(`no number in Powerpack ${pp.name} (${pp.uuid}) can send this ${type} to ${dest.number}: ${selection.refusals.join("; ")}`);
    }
    const { number, kind, reason } = selection.choice;
    return { number, kind, reason, account: numbers.get(number), blocked: null };
  }

  /** `src`: a number of the account (its problems fail the message, as the carrier would), or a sender ID. */
  private fromSource(src: string, dest: Destination, type: "sms" | "mms"): Sender {
    const account = /^\d+$/.test(src) ? this.ctx.backends.numbers.get(src) : undefined;
    if (!account) {
      // US and Canadian traffic must come from a Plivo number of the account (docs/plivo-api.md §15.2)
      if (isNorthAmerica(dest.country)) throw badRequest("This caller ID is not allowed for outbound message");
      if (!/^\d+$/.test(src)) throw badRequest(`src ${src}: alphanumeric sender IDs are not enabled for this account`);
      return { number: src, kind: "external", reason: "src (not a number of this account)", blocked: null };
    }
    const kind: SenderKind = account.number_type === "tollfree" ? "tollfree" : "longcode";
    const member = {
      number_pool_uuid: "",
      number: src,
      kind: "number" as const,
      type: "fixed" as const,
      service: "mms" as const,
      country_iso2: account.country_iso2,
      added_on: "",
    };
    const why = unusable({ member, kind, account }, dest, type);
    return { number: src, kind, reason: "src", account, blocked: why ? { code: ERROR_CODES.source, message: `source ${src}: ${why}` } : null };
  }

  private record(input: SendInput, dest: Destination, sender: Sender, ppUuid: string | null): string {
    const now = this.ctx.now().toISOString();
    const id = uuid();
    const units = input.type === "mms" ? 1 : smsUnits(input.text).units;
    const rate = input.type === "mms" ? RATES.naMms : isNorthAmerica(dest.country) ? RATES.naSms : RATES.intlSms;
    const tendlc = tendlcOf(sender.account, dest);
    const media = input.type === "mms" ? this.ctx.backends.media.attach(id, input.mediaUrls, input.mediaIds) : [];
    this.messages.insert({
      message_uuid: id,
      message_direction: "outbound",
      message_type: input.type,
      from_number: sender.number,
      to_number: dest.number,
      text: input.text,
      message_state: "queued",
      created_at: now,
      sent_at: null,
      delivery_report_at: null,
      updated_at: now,
      powerpack_id: ppUuid,
      units,
      total_rate: rate,
      total_amount: (Number(rate) * units).toFixed(5),
      error_code: null,
      error_message: "",
      destination_country_iso2: dest.country,
      tendlc_registration_status: tendlc.status,
      tendlc_campaign_id: tendlc.campaign,
      url: input.url ?? null,
      method: input.method,
      log: input.log,
      trackable: input.trackable,
      message_expiry: input.messageExpiry ?? null,
      dlt_entity_id: input.dlt.entity_id,
      dlt_template_id: input.dlt.template_id,
      dlt_template_category: input.dlt.template_category,
      requester_ip: input.requesterIp,
      media_ids: media,
      sender: { kind: sender.kind, reason: sender.reason },
      blocked: sender.blocked,
      callbacks_sent: 0,
    });
    this.count(sender.number);
    if (ppUuid) this.sticky.put({ powerpack_uuid: ppUuid, to_number: dest.number, from_number: sender.number });
    this.statusCallback(id);
    this.ctx.engine.submit(messageLifecycle.kind, id, { number: sender.number, to: dest.number });
    return id;
  }

  private count(number: string): void {
    const date = this.ctx.now().toISOString().slice(0, 10);
    const u = this.usage.edit(`${number}/${date}`);
    if (u) u.count += 1;
    else this.usage.insert({ number, date, count: 1 });
  }

  // ---------------------------------------------------------------------------------------------------------
  // lifecycle (transition engine)

  status(id: string): string | undefined {
    return this.messages.get(id)?.message_state;
  }

  phase(id: string, status: string): void {
    if (status !== "sent") return;
    const m = this.messages.get(id);
    if (m && !m.blocked) this.markSent(id);
  }

  apply(id: string, outcome: string, reason: string | undefined, _via: Via): string {
    const cur = this.messages.get(id);
    if (!cur) throw new ApiError(404, `message ${id} not found`);
    const now = this.ctx.now().toISOString();
    if (cur.blocked) return this.finish(id, "failed", cur.blocked.code, cur.blocked.message, now);
    switch (outcome) {
      case "success": {
        this.markSent(id);
        const state = this.finish(id, "delivered", ERROR_CODES.delivered, "", now);
        this.arriveIfOurs(id);
        return state;
      }
      case "sent":
        this.markSent(id);
        return "sent";
      case "undelivered": {
        this.markSent(id);
        const r = parseReason(reason, ERROR_CODES.undelivered);
        return this.finish(id, "undelivered", r.code, r.message, now);
      }
      default: {
        const r = parseReason(reason, ERROR_CODES.failed);
        return this.finish(id, "failed", r.code, r.message, now);
      }
    }
  }

  private markSent(id: string): void {
    const cur = this.messages.get(id)!;
    if (cur.sent_at) return;
    const m = this.messages.edit(id)!;
    m.sent_at = m.updated_at = this.ctx.now().toISOString();
    m.message_state = "sent";
    this.statusCallback(id);
  }

  private finish(id: string, state: MessageState, code: string, message: string, now: string): MessageState {
    const m = this.messages.edit(id)!;
    m.message_state = state;
    m.error_code = code;
    m.error_message = message;
    m.updated_at = now;
    if (state === "delivered" || state === "undelivered") m.delivery_report_at = now;
    this.statusCallback(id);
    return state;
  }

  /** Status callback to the message's `url` (docs/plivo-api.md §15.5): form data, or the query string for GET. */
  private statusCallback(id: string): void {
    const cur = this.messages.get(id)!;
    if (!cur.url) return;
    const m = this.messages.edit(id)!;
    m.callbacks_sent += 1;
    const failed = m.message_state === "failed" || m.message_state === "undelivered";
    this.ctx.callbacks.send({
      resource: messageLifecycle.kind,
      id,
      status: m.message_state,
      url: m.url,
      method: m.method,
      encoding: "form",
      payload: {
        MessageUUID: m.message_uuid,
        To: m.to_number,
        From: m.from_number,
        Type: m.message_type,
        Status: m.message_state,
        Units: m.units,
        TotalRate: m.total_rate,
        TotalAmount: m.total_amount,
        ...(failed ? { ErrorCode: m.error_code } : {}),
        ParentMessageUUID: m.message_uuid,
        PartInfo: "1 of 1",
        Sequence: m.callbacks_sent,
        MessageTime: callbackTime(m.created_at),
        QueuedTime: callbackTime(m.created_at),
        SentTime: callbackTime(m.sent_at),
        DeliveryReportTime: callbackTime(m.delivery_report_at),
        RequesterIP: m.requester_ip,
        PowerpackUUID: m.powerpack_id ?? "",
      },
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // inbound

  /** A delivered message to one of the account's own numbers arrives there. */
  private arriveIfOurs(id: string): void {
    const m = this.messages.get(id)!;
    if (this.ctx.backends.numbers.get(m.to_number))
      this.receive({ from: m.from_number, to: m.to_number, text: m.text, type: m.message_type, mediaIds: m.media_ids });
  }

  /**
   * An inbound message to a number of the account: recorded `received`, forwarded to the `message_url` of the
   * number's application, then `delivered` on a 2xx answer or `undelivered` otherwise (docs/plivo-api.md §15.5).
   */
  receive(input: { from: string; to: string; text: string; type: "sms" | "mms"; mediaIds?: string[]; mediaUrls?: string[] }): MessageRecord {
    const number = this.ctx.backends.numbers.get(input.to);
    if (!number) throw badRequest(`to ${input.to} is not a number of this account`);
    const now = this.ctx.now().toISOString();
    const id = uuid();
    const units = input.type === "mms" ? 1 : smsUnits(input.text).units;
    const rate = input.type === "mms" ? number.mms_rate : number.sms_rate;
    const media = [...(input.mediaIds ?? []), ...this.ctx.backends.media.attach(id, input.mediaUrls ?? [], [])];
    const member = this.ctx.backends.numberPool.members.find((x) => x.number === input.to && x.kind !== "shortcode");
    const pp = member ? (this.ctx.backends.powerpacks.byPool(member.number_pool_uuid)?.uuid ?? null) : null;
    const rec = this.messages.insert({
      message_uuid: id,
      message_direction: "inbound",
      message_type: input.type,
      from_number: input.from,
      to_number: input.to,
      text: input.text,
      message_state: "received",
      created_at: now,
      sent_at: null,
      delivery_report_at: null,
      updated_at: now,
      powerpack_id: pp,
      units,
      total_rate: rate,
      total_amount: (Number(rate) * units).toFixed(5),
      error_code: null,
      error_message: "",
      destination_country_iso2: number.country_iso2,
      tendlc_registration_status: "not_applicable",
      tendlc_campaign_id: null,
      url: null,
      method: "POST",
      log: "true",
      trackable: false,
      message_expiry: null,
      dlt_entity_id: "",
      dlt_template_id: "",
      dlt_template_category: "",
      requester_ip: "",
      media_ids: media,
      sender: { kind: "external", reason: "inbound" },
      blocked: null,
      callbacks_sent: 0,
    });
    this.ctx.record({ action: "receive", resource: "message", id, number: input.to, from: input.from });
    const app = number.app_id ? this.ctx.backends.applications.get(number.app_id) : undefined;
    if (app?.message_url) {
      const mediaUrls = media.map((mid) => this.ctx.backends.media.get(mid)?.media_url).filter((u): u is string => !!u);
      this.ctx.callbacks.send({
        resource: messageLifecycle.kind,
        id,
        status: "inbound",
        url: app.message_url,
        method: app.message_method,
        encoding: "form",
        payload: {
          From: input.from,
          To: input.to,
          Type: input.type,
          MessageUUID: id,
          ...(input.type === "mms" ? { Body: input.text, MediaCount: mediaUrls.length } : { Text: input.text }),
          ...Object.fromEntries(mediaUrls.map((u, i) => [`Media${i + 1}`, u])),
          Units: units,
          TotalRate: rate,
          TotalAmount: rec.total_amount,
          PowerpackUUID: pp ?? "",
          MessageIntent: intentOf(input.text),
        },
        onResult: (cb) => {
          const r = this.messages.edit(id);
          if (!r) return;
          r.message_state = cb.result === "delivered" ? "delivered" : "undelivered";
          r.updated_at = this.ctx.now().toISOString();
        },
      });
    }
    return this.messages.get(id)!;
  }
}

interface Sender {
  number: string;
  kind: SenderKind | "external";
  reason: string;
  account?: AccountNumber;
  blocked: { code: string; message: string } | null;
}

/** The MDR's 10DLC fields: they apply to US long-code traffic to the US. */
function tendlcOf(account: AccountNumber | undefined, dest: Destination): { status: MessageRecord["tendlc_registration_status"]; campaign: string | null } {
  if (account?.country_iso2 !== "US" || account.number_type === "tollfree" || dest.country !== "US") return { status: "not_applicable", campaign: null };
  return { status: account.tendlc_registration_status === "COMPLETED" ? "registered" : "unregistered", campaign: account.tendlc_campaign_id };
}

/** The standard opt-out / opt-in / help keywords (docs/plivo-api.md §15.5). */
function intentOf(text: string): string {
  const word = text.trim().toUpperCase();
  if (["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"].includes(word)) return "optout";
  if (["START", "YES", "UNSTOP"].includes(word)) return "optin";
  if (["HELP", "INFO"].includes(word)) return "help";
  return "";
}
