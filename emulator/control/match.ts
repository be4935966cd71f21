/**
 * Matching a request URL against a user-given `path` (faults, chaos): a substring match, or a regular expression
 * run by RE2JS, a linear-time engine — a pattern like `(a+)+$` cannot hang the server (with JavaScript's own
 * backtracking engine it freezes it for minutes). A pattern RE2 cannot compile (a backreference, a lookaround, or
 * no regular expression at all) matches as a plain substring only.
 */
import type { RE2JS } from "re2js";
import { badRequest } from "../http";

let engine: typeof import("re2js") | undefined;
/** Loaded on first use: most emulators never match a path pattern (and start faster without it). */
const re2 = () => (engine ??= require("re2js") as typeof import("re2js"));

export class PathMatcher {
  private readonly re: RE2JS | undefined;

  constructor(readonly pattern: string) {
    if (pattern.length > 500) throw badRequest("path must be at most 500 characters");
    try {
      this.re = re2().RE2JS.compile(pattern);
    } catch {
      this.re = undefined; // not a regular expression RE2 accepts: a plain substring
    }
  }

  test(url: string): boolean {
    if (url.includes(this.pattern)) return true;
    return this.re ? this.re.matcher(url).find() : false;
  }
}
