/** Fixtures shared by the asynchronous-resource emulator tests (async-*.test.ts). */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import type { TestEmulator } from "../helpers/emulator";

export { API_ID_RE, UUID_RE, startTestEmulator } from "../helpers/emulator";
export type { TestEmulator } from "../helpers/emulator";

export const BRAND_ID_RE = /^B[A-Z0-9]{6}$/;
export const CAMPAIGN_ID_RE = /^C[A-Z0-9]{6}$/;

export const PROFILE_BODY = {
  profile_alias: "acme",
  customer_type: "DIRECT",
  entity_type: "PRIVATE",
  company_name: "Acme Widgets Inc.",
  vertical: "RETAIL",
  ein: "987654321",
  ein_issuing_country: "US",
  website: "https://acme.example",
  address: { street: "1 Main St", city: "Austin", state: "TX", postal_code: "78701", country: "US" },
  authorized_contact: { first_name: "Ada", last_name: "Lovelace", email: "ada@acme.example", title: "CEO", seniority: "CEO", phone: "15125550100" },
};

export async function makeProfile(e: TestEmulator, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await e.post("Profile/", { ...PROFILE_BODY, ...overrides });
  expect(res.status, res.text).toBe(200);
  return res.body.profile_uuid as string;
}

/** set a transition policy (type default when id is omitted) */
export async function policy(e: TestEmulator, body: Record<string, unknown>): Promise<void> {
  const res = await e.control("POST", "transitions", body);
  expect(res.status, res.text).toBe(200);
}

export { resolvePending as resolve } from "../helpers/emulator";
import { resolvePending as resolve } from "../helpers/emulator";

export async function createBrand(e: TestEmulator, profileUuid: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await e.post("10dlc/Brand/", { profile_uuid: profileUuid, brand_alias: "acme brand", brand_type: "STANDARD", ...extra });
  expect(res.status, res.text).toBe(200);
  return res.body.brand_id as string;
}

/** a COMPLETED brand on a fresh profile */
export async function completedBrand(e: TestEmulator): Promise<string> {
  const id = await createBrand(e, await makeProfile(e));
  const r = await resolve(e, "brand", id, "success");
  expect(r.status, r.text).toBe(200);
  return id;
}

export function campaignBody(brandId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    brand_id: brandId,
    campaign_alias: "order updates",
    vertical: "RETAIL",
    usecase: "CUSTOMER_CARE",
    description: "Order status and delivery updates for customers who opted in at checkout.",
    sample1: "Your order #1234 has shipped and arrives Tuesday.",
    sample2: "Reply HELP for help or STOP to opt out of order updates.",
    message_flow: "Customers opt in by ticking an unchecked box at checkout on acme.example.",
    help_message: "Acme: reply STOP to opt out. Help at acme.example/help.",
    optout_message: "You are unsubscribed from Acme order updates. No more messages.",
    embedded_link: false,
    embedded_phone: false,
    age_gated: false,
    direct_lending: false,
    affiliate_marketing: false,
    subscriber_optin: true,
    subscriber_optout: true,
    subscriber_help: true,
    ...overrides,
  };
}

export async function createCampaign(e: TestEmulator, brandId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await e.post("10dlc/Campaign/", campaignBody(brandId, overrides));
  expect(res.status, res.text).toBe(200);
  return res.body.campaign_id as string;
}

/** an ACTIVE campaign under a fresh COMPLETED brand */
export async function activeCampaign(e: TestEmulator): Promise<{ brandId: string; campaignId: string }> {
  const brandId = await completedBrand(e);
  const campaignId = await createCampaign(e, brandId);
  const r = await resolve(e, "campaign", campaignId, "success");
  expect(r.status, r.text).toBe(200);
  return { brandId, campaignId };
}

/** buy the first inventory number matching `query` and `pred` */
export async function buyWhere(e: TestEmulator, query: Record<string, string>, pred: (o: Record<string, unknown>) => boolean = () => true): Promise<string> {
  const found = await e.get("PhoneNumber/", { ...query, limit: 20 });
  expect(found.status, found.text).toBe(200);
  const hit = (found.body.objects as Record<string, unknown>[]).find(pred);
  if (!hit) throw new Error(`no inventory number for ${JSON.stringify(query)}`);
  const bought = await e.post(`PhoneNumber/${hit.number}/`, {});
  expect(bought.status, bought.text).toBe(201);
  return hit.number as string;
}

export const buyLongCode = (e: TestEmulator, npa = "512") => buyWhere(e, { country_iso: "US", type: "local", pattern: npa }, (o) => o.sms_enabled === true);
export const buyTollfree = (e: TestEmulator, prefix = "833") => buyWhere(e, { country_iso: "US", type: "tollfree", pattern: prefix });

export function tfvBody(profileUuid: string, number: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    profile_uuid: profileUuid,
    number,
    usecase: "2FA,CUSTOMER_CARE",
    usecase_summary: "One-time passcodes and support replies for Acme customers.",
    message_sample: "Your Acme code is 123456. It expires in 10 minutes.",
    optin_image_url: "https://acme.example/optin.png",
    optin_type: "WEB_FORM",
    volume: "1,000",
    additional_information: "Privacy: https://acme.example/privacy",
    extra_data: "ticket-1",
    ...overrides,
  };
}

export async function createTfv(e: TestEmulator, profileUuid: string, number: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await e.post("TollfreeVerification/", tfvBody(profileUuid, number, overrides));
  expect(res.status, res.text).toBe(201);
  return res.body.uuid as string;
}

export { ledger, submissions as submits } from "../helpers/ledger";

// ---------------------------------------------------------------------------
// a tiny local webhook receiver

export interface Received {
  method: string;
  path: string;
  query: Record<string, string>;
  /** JSON bodies parsed; form bodies (message callbacks) as their fields */
  body: Record<string, unknown> | undefined;
  contentType: string;
}

export interface Hook {
  url: string;
  received: Received[];
  /** resolves once `n` requests arrived (or rejects after `ms`) */
  waitFor(n: number, ms?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function webhook(status = 200): Promise<Hook> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      const u = new URL(req.url ?? "/", "http://127.0.0.1");
      let body: Record<string, unknown> | undefined;
      const type = String(req.headers["content-type"] ?? "");
      if (type.startsWith("application/x-www-form-urlencoded")) body = Object.fromEntries(new URLSearchParams(data));
      else {
        try {
          body = data ? JSON.parse(data) : undefined;
        } catch {
          body = { raw: data };
        }
      }
      received.push({ method: req.method ?? "", path: u.pathname, query: Object.fromEntries(u.searchParams), body, contentType: type });
      res.writeHead(status, { "content-type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    async waitFor(n, ms = 3000) {
      const until = Date.now() + ms;
      while (received.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} callbacks, got ${received.length}: ${JSON.stringify(received)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
