/**
 * Toll-free verification backend (docs/plivo-api.md §10): records and their lifecycle — SUBMITTED → PROCESSING →
 * APPROVED | REJECTED | UPDATE_REQUIRED, UPDATE_REQUIRED → REJECTED after six days on the emulator clock — run by
 * the transition engine. The number mirrors it (`toll_free_sms_verification` UNVERIFIED → PENDING_VERIFICATION →
 * VERIFIED) through the numbers backend.
 */
import type { Ctx } from "../../context";
import { defineLifecycle, type LifecycleHandler, type Via } from "../../engine/lifecycle";
import { badRequest, isoMicros, notFound, uuid } from "../../http";
import type { Table } from "../../store/table";

export const TFV_USECASES = [
  "2FA",
  "ACCOUNT_NOTIFICATION",
  "CUSTOMER_CARE",
  "DELIVERY_NOTIFICATION",
  "FRAUD_ALERT",
  "HIGHER_EDUCATION",
  "MARKETING",
  "POLLING_VOTING",
  "PUBLIC_SERVICE_ANNOUNCEMENT",
  "SECURITY_ALERT",
] as const;
export const OPTIN_TYPES = ["VERBAL", "WEB_FORM", "PAPER_FORM", "VIA_TEXT", "MOBILE_QR_CODE"] as const;
/** "One of the following exact values" — the list is not published; the industry form's list (docs/plivo-api.md §14.7). */
export const TFV_VOLUMES = ["10", "100", "1,000", "10,000", "100,000", "250,000", "500,000", "750,000", "1,000,000", "5,000,000", "10,000,000+"] as const;
export const TFV_STATUSES = ["SUBMITTED", "PROCESSING", "APPROVED", "REJECTED", "UPDATE_REQUIRED"] as const;
export type TfvStatus = (typeof TFV_STATUSES)[number];
/** stored statuses (PROCESSING is derived from the pending phase) */
export type StoredStatus = Exclude<TfvStatus, "PROCESSING">;

export const TFV_NUMBER_MESSAGE = "Only US and Canadian toll-free numbers will be accepted. Only one toll-free number can be provided.";
export const DEFAULT_REJECTION = "The opt-in evidence does not demonstrate consent for the described use case.";
export const DEFAULT_UPDATE_REQUIRED = "Please provide a publicly reachable URL showing the opt-in flow.";
export const UPDATE_TIMEOUT_MESSAGE = "The request was not updated within six days of being marked UPDATE_REQUIRED.";

export const UPDATE_PARAMS = [
  "profile_uuid",
  "usecase",
  "usecase_summary",
  "message_sample",
  "optin_image_url",
  "optin_type",
  "volume",
  "additional_information",
  "extra_data",
  "callback_url",
  "callback_method",
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
}

declare module "../../context" {
  interface Backends {
    tollfreeVerifications: TollfreeVerificationBackend;
  }
}

/** UPDATE_REQUIRED turns REJECTED when not updated within six days (docs/plivo-api.md §10.4). */
export const UPDATE_REQUIRED_TIMEOUT_MS = 6 * 86400_000;

export const tfvLifecycle = defineLifecycle({
  kind: "tfv",
  statusField: "status",
  pending: ["SUBMITTED", "PROCESSING"],
  outcomes: { success: "APPROVED", failure: "REJECTED", update_required: "UPDATE_REQUIRED", expire: "REJECTED" },
  // the carrier decides again on UPDATE_REQUIRED requests (through /resolve)
  resolvableFrom: { success: ["UPDATE_REQUIRED"], failure: ["UPDATE_REQUIRED"], expire: ["UPDATE_REQUIRED"] },
  timeouts: [{ status: "UPDATE_REQUIRED", afterMs: UPDATE_REQUIRED_TIMEOUT_MS, outcome: "expire" }],
});

export type TfvInput = Omit<TfvRecord, "uuid" | "status" | "error_message" | "created" | "last_modified">;
export type TfvPatch = Partial<Omit<TfvInput, "number">>;

export class TollfreeVerificationBackend implements LifecycleHandler {
  readonly tfvs: Table<TfvRecord>;

  constructor(private readonly ctx: Ctx) {
    this.tfvs = ctx.store.table<TfvRecord>("tollfree_verifications", (t) => t.uuid);
    ctx.engine.register(tfvLifecycle, this);
  }

  get(id: string): TfvRecord | undefined {
    return this.tfvs.get(id);
  }

  /** The status as the API shows it: a pending request is SUBMITTED, then PROCESSING. */
  shownStatus(t: TfvRecord): TfvStatus {
    return this.ctx.engine.shownStatus(tfvLifecycle.kind, t.uuid, t.status) as TfvStatus;
  }

  create(input: TfvInput): TfvRecord {
    const n = this.ctx.backends.numbers.get(input.number);
    if (!n) throw badRequest(`number ${input.number} is not rented in this account. ${TFV_NUMBER_MESSAGE}`);
    if (n.number_type !== "tollfree" || (n.country_iso2 !== "US" && n.country_iso2 !== "CA")) throw badRequest(`number ${input.number}: ${TFV_NUMBER_MESSAGE}`);
    const open = this.tfvs.find((t) => t.number === input.number && t.status !== "REJECTED");
    if (open) throw badRequest(`number ${input.number} already has a toll-free verification request (${open.uuid}, status ${this.shownStatus(open)})`);
    // "REJECTED: the use case cannot be submitted for verification anymore" (docs/plivo-api.md §10.3)
    const wanted = new Set(input.usecase.split(","));
    for (const r of this.tfvs.filter((t) => t.number === input.number && t.status === "REJECTED")) {
      const again = r.usecase.split(",").filter((u) => wanted.has(u));
      if (again.length) {
        throw badRequest(
          `number ${input.number}: use case ${again.join(", ")} was REJECTED (request ${r.uuid}) and cannot be submitted for verification again`,
        );
      }
    }
    const now = isoMicros(this.ctx.now());
    const rec = this.tfvs.insert({ ...input, uuid: uuid(), status: "SUBMITTED", error_message: "", created: now, last_modified: now });
    this.mirror(rec);
    this.callback(rec);
    this.ctx.engine.submit(tfvLifecycle.kind, rec.uuid, { number: rec.number });
    return this.tfvs.get(rec.uuid)!;
  }

  /** Count a read and refresh the number's mirror. */
  read(id: string): void {
    this.ctx.engine.read(tfvLifecycle.kind, id);
    const t = this.tfvs.get(id);
    if (t) this.mirror(t);
  }

  /** Update while SUBMITTED or UPDATE_REQUIRED; in UPDATE_REQUIRED the request goes back to the carrier. */
  update(id: string, patch: TfvPatch): TfvRecord {
    const cur = this.tfvs.get(id);
    if (!cur) throw notFound();
    this.assertUpdatable(cur);
    const t = this.tfvs.edit(id)!;
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) (t as unknown as Record<string, unknown>)[k] = v;
    t.last_modified = isoMicros(this.ctx.now());
    if (t.status === "UPDATE_REQUIRED") {
      this.setStatus(id, "SUBMITTED", "");
      this.ctx.engine.submit(tfvLifecycle.kind, id, { number: t.number });
    } else {
      this.ctx.record({ action: "update", resource: "tfv", id });
    }
    return this.tfvs.get(id)!;
  }

  assertUpdatable(t: TfvRecord): void {
    const status = this.shownStatus(t);
    if (status !== "SUBMITTED" && status !== "UPDATE_REQUIRED") {
      throw badRequest(
        `Tollfree verification request ${t.uuid} cannot be updated in ${status} status; updates are allowed only in SUBMITTED or UPDATE_REQUIRED status`,
      );
    }
  }

  delete(id: string): void {
    const t = this.tfvs.get(id);
    if (!t) throw notFound();
    const status = this.shownStatus(t);
    if (status === "APPROVED" || status === "REJECTED") {
      throw badRequest(
        `Tollfree verification request ${id} cannot be deleted in ${status} status; only SUBMITTED, PROCESSING or UPDATE_REQUIRED requests can be deleted`,
      );
    }
    this.tfvs.delete(id);
    this.ctx.engine.cancel(tfvLifecycle.kind, id);
    this.mirror(t, true);
    this.ctx.record({ action: "delete", resource: "tfv", id, number: t.number });
  }

  status(id: string): string | undefined {
    const t = this.tfvs.get(id);
    return t ? this.shownStatus(t) : undefined;
  }

  apply(id: string, outcome: string, reason: string | undefined, _via: Via): string {
    const t = this.tfvs.get(id);
    if (!t) throw notFound(`tfv ${id} not found`);
    switch (outcome) {
      case "success":
        this.setStatus(id, "APPROVED", "");
        break;
      case "failure":
        this.setStatus(id, "REJECTED", reason ?? DEFAULT_REJECTION);
        break;
      case "update_required":
        this.setStatus(id, "UPDATE_REQUIRED", reason ?? DEFAULT_UPDATE_REQUIRED);
        break;
      case "expire":
        this.setStatus(id, "REJECTED", reason ?? UPDATE_TIMEOUT_MESSAGE);
        break;
    }
    return this.tfvs.get(id)!.status;
  }

  /** Open requests (not APPROVED/REJECTED) hold their profile: those two states cannot be deleted through the API. */
  openForProfile(profileUuid: string): TfvRecord | undefined {
    return this.tfvs.find((x) => x.profile_uuid === profileUuid && x.status !== "APPROVED" && x.status !== "REJECTED");
  }

  private setStatus(id: string, status: StoredStatus, message: string): void {
    const t = this.tfvs.edit(id)!;
    t.status = status;
    t.error_message = message;
    t.last_modified = isoMicros(this.ctx.now());
    this.mirror(t);
    this.callback(t);
  }

  private mirror(t: TfvRecord, removed = false): void {
    const numbers = this.ctx.backends.numbers;
    const n = numbers.get(t.number);
    if (!n) return;
    if (removed) {
      if (n.toll_free_sms_verification_id !== t.uuid) return;
      numbers.setTollfreeVerification(t.number, {
        toll_free_sms_verification: "UNVERIFIED",
        toll_free_sms_verification_id: null,
        toll_free_sms_verification_order_status: null,
      });
      return;
    }
    numbers.setTollfreeVerification(t.number, {
      toll_free_sms_verification: t.status === "APPROVED" ? "VERIFIED" : t.status === "REJECTED" ? "UNVERIFIED" : "PENDING_VERIFICATION",
      toll_free_sms_verification_id: t.uuid,
      toll_free_sms_verification_order_status: this.shownStatus(t),
    });
  }

  private callback(t: TfvRecord): void {
    this.ctx.callbacks.send({
      resource: "tfv",
      id: t.uuid,
      status: t.status,
      url: t.callback_url,
      method: t.callback_method,
      payload: { uuid: t.uuid, number: t.number, profile_uuid: t.profile_uuid, status: t.status, error_message: t.error_message, extra_data: t.extra_data },
    });
  }
}
