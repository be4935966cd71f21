/**
 * What numbers cost, read from the account (docs/cost.md, docs/plivo-api.md §18): the Pricing API
 * (`GET /Pricing/?country_iso=XX`: per kind of number, the setup and monthly rate of each set of capabilities) and,
 * when Pricing cannot tell which rate applies, the search results' own `setup_rate` / `monthly_rental_rate`. And
 * "today" as the API counts it (the `Date` header of its answers), on which a first month is pro-rated, so the
 * estimate and the bill agree on the day.
 *
 * Every read is cached for the life of the process, per account: a stack of numbers costs one Pricing request per
 * country, whatever its size. A read that fails is cached as the reason it failed: prices that cannot be read are
 * reported as such, never guessed. A book without searches (the preview rows: checks must stay instant, one after
 * the other) makes no request per number: where Pricing cannot tell, the number is left unpriced with the prices
 * that fit, and `pulumi-plivo cost`, whose book searches, prices it.
 */
import type { PlivoClient } from "../client/plivoClient";
import type { PhoneNumberSearch } from "../../schema/phoneNumber";
import { describeNumber, isNanpTollFree, nanpAreaCode } from "../../schema/geo";
import type { TenDlcFees } from "../../schema/fees";
import { makeContext } from "../core/context";
import { rateCents, usd } from "./money";

/** What one number costs: once at purchase, and every month. */
export interface NumberPrice {
  setup: string;
  monthly: string;
  /** Where the rates come from, for the reader ("Pricing API", "search results"). */
  source: string;
  /** "local US number", "toll-free US number", … */
  what: string;
}

/** A price that could not be established, and why (shown instead of an amount). */
export interface Unpriced {
  unpriced: string;
}

export const isUnpriced = (p: NumberPrice | Unpriced): p is Unpriced => "unpriced" in p;

/** A number to price: search criteria, or an exact number. */
export type NumberQuery = { search: PhoneNumberSearch } | { number: string };

type Wire = Record<string, any>;

const KIND_OF_TYPE: Record<string, string> = { LOCAL: "local", FIXED: "local", MOBILE: "mobile", TOLLFREE: "tollfree", NATIONAL: "national" };
const KIND_WORDS: Record<string, string> = { local: "local", mobile: "mobile", tollfree: "toll-free", national: "national" };

const quiet = { progress: () => {}, warn: () => {} };
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Prices of one account, read once per process. */
export class PriceBook {
  readonly #pricing = new Map<string, Promise<Wire | Unpriced>>();
  readonly #searches = new Map<string, Promise<Wire[] | Unpriced>>();
  #date: Date | undefined;

  constructor(
    private readonly client: PlivoClient,
    readonly fees: TenDlcFees,
    /** May it search the inventory when Pricing cannot tell (a request per distinct search or number)? */
    private readonly searches = true,
  ) {}

  /** "Today" as the API's last answer dated it; undefined before any answer carried a date. */
  get today(): Date | undefined {
    return this.#date;
  }

  /** Reads the account's date (one Pricing request of the US, cached like any other) when none is known yet. */
  async ensureToday(): Promise<Date | undefined> {
    if (!this.#date) await this.#countryPricing("US");
    return this.#date;
  }

  /** What the number a create would rent costs. */
  async numberPrice(q: NumberQuery): Promise<NumberPrice | Unpriced> {
    if ("search" in q) return this.#searchPrice(q.search);
    const digits = q.number;
    const npa = nanpAreaCode(digits);
    const where = describeNumber(digits);
    if (npa === undefined || !(where === "a US local number" || isNanpTollFree(digits))) {
      return { unpriced: `cannot price ${digits} (${where}) from the Pricing API: give search criteria with its country instead` };
    }
    const type = isNanpTollFree(digits) ? "TOLLFREE" : "LOCAL";
    return this.#searchPrice({ countryIso: "US", type }, digits.slice(1));
  }

  /** Pricing first; the search results (the numbers the buy would pick from) when Pricing has several rates that fit. */
  async #searchPrice(search: PhoneNumberSearch, exact?: string): Promise<NumberPrice | Unpriced> {
    const country = search.countryIso;
    const read = await this.#countryPricing(country);
    if ("unpriced" in read) return read as Unpriced;
    const pricing = read as Wire;
    const kinds = search.type && search.type !== "ANY" ? [KIND_OF_TYPE[search.type]!] : Object.keys(pricing.phone_numbers ?? {});
    const services = (search.services ?? []).map((s) => s.toLowerCase());
    const fitting: { kind: string; setup?: string; monthly: string }[] = [];
    for (const kind of kinds) {
      const entry = pricing.phone_numbers?.[kind];
      if (!entry) continue;
      const rates: Wire[] = Array.isArray(entry.rates) && entry.rates.length ? entry.rates : [{ rental_rate: entry.rate }];
      for (const r of rates) {
        const caps: string[] = Array.isArray(r.capabilities) ? r.capabilities : [];
        if (services.length && r.capabilities && !services.every((s) => caps.includes(s))) continue;
        fitting.push({ kind, setup: r.setup_rate ?? undefined, monthly: String(r.rental_rate) });
      }
    }
    const kindText = kinds.length === 1 ? `${KIND_WORDS[kinds[0]!] ?? kinds[0]} ` : "";
    if (fitting.length === 0)
      return { unpriced: `the Pricing API lists no ${kindText}${country} numbers${services.length ? ` with ${services.join(", ")}` : ""}` };
    const same = fitting.every((f) => f.setup !== undefined && f.setup === fitting[0]!.setup && f.monthly === fitting[0]!.monthly);
    const what = `${KIND_WORDS[fitting[0]!.kind] ?? fitting[0]!.kind} ${country} number`;
    if (same)
      return {
        setup: fitting[0]!.setup!,
        monthly: fitting[0]!.monthly,
        source: "Pricing API",
        what: fitting.every((f) => f.kind === fitting[0]!.kind) ? what : `${country} number`,
      };
    // Several rates fit (e.g. voice-only and SMS numbers): the search shows what the matching numbers cost.
    if (!this.searches) {
      const listed = [
        ...new Set(fitting.map((f) => `${f.setup === undefined ? "?" : usd(rateCents(f.setup))} setup, ${usd(rateCents(f.monthly))}/month`)),
      ].join("; ");
      return {
        unpriced: `several prices fit (${listed}): ${exact ? "the number's capabilities decide" : "add services to the search to pin it"}; \`pulumi-plivo cost\` looks ${exact ? "it" : "the matches"} up`,
      };
    }
    const found = await this.#search(exact ? { ...search, pattern: exact } : search);
    if (!Array.isArray(found)) return found;
    const candidates = exact ? found.filter((o) => String(o.number).endsWith(exact)) : found;
    if (candidates.length === 0) return { unpriced: exact ? `${exact} is not in Plivo's inventory now` : `no number matches ${JSON.stringify(search)} now` };
    const prices = new Set(candidates.map((o) => `${o.setup_rate}|${o.monthly_rental_rate}`));
    if (prices.size > 1) {
      return {
        unpriced: `the numbers matching the search have different prices (${[...prices]
          .map((p) => {
            const [s, m] = p.split("|");
            return `${usd(rateCents(s!))} setup, ${usd(rateCents(m!))}/month`;
          })
          .join("; ")}): add services to the search to price it`,
      };
    }
    const first = candidates[0]!;
    return { setup: String(first.setup_rate), monthly: String(first.monthly_rental_rate), source: "search results", what };
  }

  #countryPricing(country: string): Promise<Wire | Unpriced> {
    let p = this.#pricing.get(country);
    if (!p) {
      const ctx = makeContext(this.client, "PhoneNumber", { name: "cost estimate", log: quiet });
      p = this.client
        .request<Wire>({ method: "GET", path: "Pricing/", query: { country_iso: country }, operation: ctx.op(`read the prices of ${country}`) })
        .then((res) => {
          this.#noteDate(res.date);
          return res.body;
        })
        .catch((err) => ({ unpriced: `the Pricing API did not answer for ${country}: ${message(err)}` }));
      this.#pricing.set(country, p);
    }
    return p;
  }

  #search(search: PhoneNumberSearch): Promise<Wire[] | Unpriced> {
    const key = JSON.stringify(search);
    let p = this.#searches.get(key);
    if (!p) {
      const ctx = makeContext(this.client, "PhoneNumber", { name: "cost estimate", log: quiet });
      p = this.client
        .request<Wire>({
          method: "GET",
          path: "PhoneNumber/",
          query: {
            country_iso: search.countryIso,
            type: search.type && search.type !== "ANY" ? search.type.toLowerCase() : undefined,
            pattern: search.pattern,
            region: search.region,
            services: search.services?.map((s) => s.toLowerCase()).join(","),
            limit: 20,
          },
          operation: ctx.op(`search numbers to price ${key}`),
        })
        .then((res) => {
          this.#noteDate(res.date);
          return (res.body.objects as Wire[] | undefined) ?? [];
        })
        .catch((err) => ({ unpriced: `the number search did not answer: ${message(err)}` }));
      this.#searches.set(key, p);
    }
    return p;
  }

  #noteDate(header: string | undefined): void {
    if (!header || this.#date) return;
    const d = new Date(header);
    if (!Number.isNaN(d.getTime())) this.#date = d;
  }
}

const books = new WeakMap<PlivoClient, Map<string, PriceBook>>();

/** The price book of an account (a client) with a fee table, shared by the whole process; `searches`: see PriceBook. */
export function priceBook(client: PlivoClient, fees: TenDlcFees, searches = true): PriceBook {
  let byFees = books.get(client);
  if (!byFees) books.set(client, (byFees = new Map()));
  const key = `${searches}\n${JSON.stringify(fees)}`;
  let book = byFees.get(key);
  if (!book) byFees.set(key, (book = new PriceBook(client, fees, searches)));
  return book;
}
