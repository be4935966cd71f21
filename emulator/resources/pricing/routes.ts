/**
 * `GET /Pricing/?country_iso=XX` (docs/plivo-api.md §18): the fee schedule of one country (rates.ts) in the shape of
 * Plivo's Pricing object — every rate a string; `phone_numbers` per kind with the monthly `rate` and, per capability
 * set, `rental_rate` and `setup_rate`. The same numbers the inventory shows and the bill charges.
 */
import type { FastifyInstance } from "fastify";
import { badRequest, notFound, requestParams, send } from "../../http";
import { defineResource } from "../registry";
import { COUNTRY_RATES, countryRates, type CountryRates, type NumberKind, type NumberRate } from "./rates";

const rate = (r: string | null) => ({ rate: r });

function numberRates(c: CountryRates): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kind of ["local", "tollfree", "mobile"] as NumberKind[]) {
    const full = c.numbers[kind];
    if (!full) continue;
    const capabilities = kind === "mobile" ? ["voice", "sms"] : ["voice", "sms", "mms"];
    const rates = [entry(capabilities, full)];
    if (kind === "local" && c.voiceOnlyLocal) rates.push(entry(["voice"], c.voiceOnlyLocal));
    out[kind] = { rate: full.monthly, rates };
  }
  return out;
}

function entry(capabilities: string[], r: NumberRate): Record<string, unknown> {
  return { capabilities, rental_rate: r.monthly, setup_rate: r.setup };
}

function messaging(r: { outbound: string; inbound: string }, group: string): Record<string, unknown> {
  return { inbound: rate(r.inbound), outbound: rate(r.outbound), outbound_networks_list: [{ group_name: group, rate: r.outbound }] };
}

export function pricingObject(c: CountryRates): Record<string, unknown> {
  return {
    country: c.name,
    country_code: c.countryCode,
    country_iso: c.iso,
    message: messaging(c.sms, c.iso),
    ...(c.mms ? { mms: messaging(c.mms, c.iso) } : {}),
    phone_numbers: numberRates(c),
    voice: {
      inbound: { ip: rate(c.voice.inbound.ip), local: rate(c.voice.inbound.local), tollfree: rate(c.voice.inbound.tollfree) },
      outbound: {
        ip: rate(c.voice.outbound.ip),
        local: rate(c.voice.outbound.local),
        rates: [{ prefix: [String(c.countryCode)], rate: c.voice.outbound.local }],
        tollfree: rate(c.voice.outbound.tollfree),
      },
    },
  };
}

function register(api: FastifyInstance): void {
  api.get("/Pricing/", async (req, reply) => {
    const iso = requestParams(req).str("country_iso", { required: true });
    if (!/^[A-Za-z]{2}$/.test(iso)) throw badRequest("country_iso must be a 2-letter ISO country code");
    const c = countryRates(iso);
    if (!c) throw notFound(`no pricing for country_iso ${iso.toUpperCase()}: the emulator prices ${COUNTRY_RATES.map((x) => x.iso).join(", ")}`);
    return send(reply, 200, pricingObject(c));
  });
}

export default defineResource({ name: "pricing", routes: register });
