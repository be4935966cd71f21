/**
 * The read-only state page (`GET /__emulator/`): the account's objects, its numbers with their pool and campaign,
 * the registrations with their status history, the ledger, the recent API requests and messages — one HTML page,
 * no script, no external asset. Every value is escaped (`html` below); the page is served with a
 * Content-Security-Policy that forbids scripts, and behind the control surface's guards (Host check, token).
 */
import type { Ctx } from "../context";
import type { Runtime } from "./runtime";

/** Markup that is already safe (built by `html`). */
class Safe {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

type Value = Safe | string | number | boolean | null | undefined | Value[];

function render(v: Value): string {
  if (v instanceof Safe) return v.value;
  if (Array.isArray(v)) return v.map(render).join("");
  if (v === null || v === undefined || v === "") return "";
  return escapeHtml(String(v));
}

/** A template whose interpolations are escaped unless they are `Safe` (the result of another `html`). */
export function html(strings: TemplateStringsArray, ...values: Value[]): Safe {
  let out = strings[0];
  values.forEach((v, i) => (out += render(v) + strings[i + 1]));
  return new Safe(out);
}

const MAX_ROWS = 200;

/** A table of the first MAX_ROWS items (only those are turned into rows: the state may hold 10,000 numbers). */
function table<T>(headers: string[], items: readonly T[], row: (item: T) => Value[]): Safe {
  if (items.length === 0) return html`<p class="empty">none</p>`;
  return html`<table><thead><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${items
    .slice(0, MAX_ROWS)
    .map(
      (item) => html`<tr>${row(item).map((c) => html`<td>${c}</td>`)}</tr>`,
    )}</tbody></table>${items.length > MAX_ROWS ? html`<p class="more">${items.length - MAX_ROWS} more not shown (see /__emulator/state)</p>` : ""}`;
}

const GOOD = new Set(["COMPLETED", "ACTIVE", "APPROVED", "VERIFIED", "delivered", "received", "sent"]);
const BAD = new Set(["FAILED", "REJECTED", "EXPIRED", "failed", "undelivered", "UNLINKED"]);

/** A status word as a badge (its class comes from a fixed list, never from the data). */
function badge(status: string | null | undefined): Safe {
  if (!status) return html``;
  const cls = GOOD.has(status) ? "good" : BAD.has(status) ? "bad" : "wait";
  return html`<span class="badge ${new Safe(cls)}">${status}</span>`;
}

const time = (iso: string | null | undefined) => (iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "");

function history(ctx: Ctx, kind: string, id: string): Safe {
  const rows = ctx.engine.history(kind, id);
  return html`${rows.map((r, i) => html`${i ? " → " : ""}<span title="${time(r.at)}">${r.status}</span> <small>(${r.via})</small>`)}`;
}

export function renderStatePage(ctx: Ctx, runtime: Runtime): string {
  const b = ctx.backends;
  const apps = b.applications.apps.all();
  const appName = (id: string | null) => (id ? `${b.applications.get(id)?.app_name ?? "?"} (${id})` : "");
  const powerpacks = b.powerpacks.powerpacks.all();
  const members = b.numberPool.members.all();
  const poolByNumber = new Map(members.filter((m) => m.kind !== "shortcode").map((m) => [m.number, m.number_pool_uuid]));
  const poolOf = (n: string) => {
    const pool = poolByNumber.get(n);
    return pool ? (b.powerpacks.byPool(pool)?.name ?? pool) : "";
  };
  const ppName = (uuid: string | null) => (uuid ? (b.powerpacks.get(uuid)?.name ?? uuid) : "");
  const numbers = b.numbers.numbers.all();
  const links = b.campaignNumbers.links.all();
  const ledger = ctx.ledger.all().reverse();
  const requests = runtime.recent().slice(-100).reverse();
  const messages = b.messages.list().slice(0, 100);
  const subs = b.subaccounts.list();
  const owner = (sa: string | null) => (sa ? `${b.subaccounts.get(sa)?.name ?? "?"} (${sa})` : "");
  const endpoints = b.endpoints.endpoints.all();
  const bill = b.billing.bill();
  const counts: Array<[string, number]> = [
    ["subaccounts", subs.length],
    ["numbers", numbers.length],
    ["applications", apps.length],
    ["endpoints", endpoints.length],
    ["powerpacks", powerpacks.length],
    ["brands", b.brands.brands.size],
    ["campaigns", b.campaigns.campaigns.size],
    ["toll-free verifications", b.tollfreeVerifications.tfvs.size],
    ["messages", b.messages.messages.size],
    ["ledger entries", ctx.ledger.size],
  ];

  const body = html`
<header>
  <h1>Plivo emulator</h1>
  <p>Account <code>${ctx.authId}</code> · emulator clock ${time(ctx.now().toISOString())} · read-only view; the whole
  state as JSON is <code>GET /__emulator/state</code></p>
  <p class="counts">${counts.map(([k, n]) => html`<span><b>${n}</b> ${k}</span> `)}</p>
  <nav><a href="#account">Account objects</a> <a href="#numbers">Numbers</a> <a href="#registrations">Registrations</a>
  <a href="#bill">Bill</a> <a href="#ledger">Ledger</a> <a href="#requests">Requests</a> <a href="#messages">Messages</a></nav>
</header>

<section id="account">
  <h2>Account objects</h2>
  <h3>Subaccounts</h3>
  ${table(["auth_id", "name", "enabled", "created", "modified"], subs, (x) => [x.auth_id, x.name, x.enabled ? "yes" : "no", x.created, x.modified])}
  <h3>Applications</h3>
  ${table(["app_id", "name", "message_url", "answer_url", "default", "subaccount"], apps, (a) => [a.app_id, a.app_name, a.message_url, a.answer_url, a.default_app ? "yes" : "", owner(a.sub_account)])}
  <h3>SIP endpoints</h3>
  ${table(["endpoint_id", "username", "alias", "application", "subaccount"], endpoints, (e) => [e.endpoint_id, e.username, e.alias, appName(e.app_id), owner(e.sub_account)])}
  <h3>Powerpacks</h3>
  ${table(["name", "uuid", "sticky sender", "local connect", "application", "pool members"], powerpacks, (p) => [
    p.name,
    p.uuid,
    p.sticky_sender ? "on" : "off",
    p.local_connect ? "on" : "off",
    p.application_id && p.application_id !== "none" ? `${p.application_type} ${p.application_id}` : "",
    members
      .filter((m) => m.number_pool_uuid === p.number_pool_uuid)
      .map((m) => `${m.number} (${m.type})`)
      .join(", "),
  ])}
  <h3>Profiles</h3>
  ${table(["profile_uuid", "alias", "type", "company", "entity type"], b.profiles.profiles.all(), (p) => [p.profile_uuid, p.profile_alias, p.profile_type, p.company_name, p.entity_type])}
</section>

<section id="numbers">
  <h2>Numbers</h2>
  ${table(["number", "kind", "region", "application", "Powerpack", "10DLC", "campaign", "toll-free verification", "alias", "subaccount"], numbers, (n) => [
    n.number,
    `${n.country_iso2} ${n.number_type}`,
    n.region,
    appName(n.app_id),
    poolOf(n.number),
    badge(n.tendlc_registration_status),
    n.tendlc_campaign_id,
    badge(n.toll_free_sms_verification),
    n.alias,
    owner(n.sub_account),
  ])}
  <p>Unrent reserve: ${b.numbers.reserved.size} number(s).</p>
</section>

<section id="registrations">
  <h2>Registrations</h2>
  <h3>Brands</h3>
  ${table(["brand_id", "alias", "type", "profile", "status", "history"], b.brands.brands.all(), (x) => [x.brand_id, x.brand_alias, x.brand_type, x.profile_uuid, badge(x.registration_status), history(ctx, "brand", x.brand_id)])}
  <h3>Campaigns</h3>
  ${table(["campaign_id", "brand", "alias", "use case", "status", "history"], b.campaigns.campaigns.all(), (x) => [x.campaign_id, x.brand_id, x.campaign_alias, x.usecase, badge(x.registration_status), history(ctx, "campaign", x.campaign_id)])}
  <h3>Campaign numbers</h3>
  ${table(["campaign", "number", "status", "history"], links, (l) => {
    const id = `${l.campaign_id}/${l.number}`;
    return [
      l.campaign_id,
      l.number,
      badge(l.op === "unlink" ? `unlinking (${l.status})` : l.status),
      html`${history(ctx, "link", id)} ${history(ctx, "unlink", id)}`,
    ];
  })}
  <h3>Toll-free verifications</h3>
  ${table(["uuid", "number", "use case", "status", "history"], b.tollfreeVerifications.tfvs.all(), (t) => [
    t.uuid,
    t.number,
    t.usecase,
    badge(b.tollfreeVerifications.shownStatus(t)),
    history(ctx, "tfv", t.uuid),
  ])}
</section>

<section id="bill">
  <h2>Bill</h2>
  <p>One-time charges so far <b>${bill.oneTime} ${bill.currency}</b> · monthly now <b>${bill.monthly} ${bill.currency}</b>
  (the main account pays for its subaccounts; one-time charges include the first months, paid at purchase;
  <code>GET /__emulator/bill</code>)</p>
  ${table(["resource", "id", "what", "one-time", "monthly"], bill.items, (i) => [i.resource, i.id, i.what, i.oneTime, i.monthly])}
</section>

<section id="ledger">
  <h2>Ledger</h2>
  <p>Every purchase, unrent, charge, submission, create, update, delete and message sent, newest first.</p>
  ${table(["#", "at", "action", "resource", "id", "number", "charge"], ledger, (e) => [
    e.seq,
    time(e.at),
    e.action,
    e.resource,
    e.id,
    e.number,
    e.action === "charge" ? `${String(e.amount)} ${String(e.kind)}: ${String(e.what)}` : "",
  ])}
</section>

<section id="requests">
  <h2>Recent API requests</h2>
  ${table(["at", "method", "path", "status", "fault"], requests, (r) => [time(r.at), r.method, r.query ? `${r.path}?${r.query}` : r.path, r.status, r.fault])}
</section>

<section id="messages">
  <h2>Recent messages</h2>
  ${table(["time", "direction", "type", "from", "to", "state", "error", "Powerpack", "sender chosen by", "text"], messages, (m) => [
    time(m.created_at),
    m.message_direction,
    m.message_type,
    m.from_number,
    m.to_number,
    badge(m.message_state),
    m.error_code && m.error_code !== "000" ? `${m.error_code} ${m.error_message}` : "",
    ppName(m.powerpack_id),
    m.sender.reason,
    m.log === "false" || m.log === "number_only" ? "(not logged)" : m.text,
  ])}
</section>`;

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Plivo emulator · ${escapeHtml(ctx.authId)}</title>
<style>${CSS}</style></head>
<body>${body}</body></html>
`;
}

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 24px 48px;color:#1d2733;background:#fff}
header{border-bottom:3px solid #323dfe;padding:12px 0;margin-bottom:8px}
h1{font-size:22px;margin:0 0 4px;color:#323dfe}h2{font-size:18px;margin:24px 0 8px;border-bottom:1px solid #d6dbe3}
h3{font-size:15px;margin:16px 0 6px}nav a{margin-right:14px}.counts span{margin-right:14px}
table{border-collapse:collapse;width:100%;margin-bottom:8px}th,td{border:1px solid #d6dbe3;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eef1f6}tr:nth-child(even) td{background:#fafbfd}code{background:#eef1f6;padding:0 3px}
.badge{padding:0 6px;border-radius:8px;font-size:12px}.good{background:#d6f5dd}.bad{background:#fbd5d5}.wait{background:#fdf0c8}
.empty,.more{color:#6b7685;font-style:italic}small{color:#6b7685}
`;
