/**
 * The field language's credentials and server-made values, on a schema written for the test: a secret input is never
 * echoed by check (and is scrubbed from every later message), a secret output is registered for scrubbing too, a
 * value Plivo extends (a username with a timestamp appended) is no diff and is predicted unknown, and an adoption
 * applies what Plivo never returns.
 */
import { describe, expect, it } from "vitest";
import { f } from "../../schema/fields";
import { defineResource } from "../../schema/resource";
import { checkInputs } from "../../provider/core/check";
import { diffInputs } from "../../provider/core/diff";
import { plannedCreate, plannedUpdate } from "../../provider/core/planned";
import { inputsFromOutputs, outputsFromWire } from "../../provider/core/wire";
import { show } from "../../provider/core/preview";
import { scrub } from "../../provider/client/redact";
import { UNKNOWN } from "../../provider/core/unknowns";
import { secretNames } from "../../provider/plugin/packageSchema";
import type { ResourceHandler } from "../../provider/core/handler";

/** Like an endpoint's username: the declared name and a 12-digit stamp. */
const unstamped = (stored: unknown) => (typeof stored === "string" && /^.+\d{12}$/.test(stored) ? stored.slice(0, -12) : stored);

const schema = defineResource({
  type: "Phone",
  description: "A test resource.",
  deletion: "Deletes it.",
  idDescription: "the id",
  idField: "phoneId",
  inputs: {
    username: f.string({
      wire: "username",
      required: true,
      onChange: "replace",
      pattern: /^[a-z]+$/,
      patternText: "letters only",
      declaredFrom: unstamped,
      description: "User.",
    }),
    password: f.string({ wire: "password", required: true, min: 5, writeOnly: true, secret: true, description: "Password." }),
    alias: f.string({ wire: "alias", description: "Alias." }),
  },
  outputs: {
    phoneId: f.output("phone_id", "Id."),
    token: f.secretOutput("token", "Token."),
  },
});
const handler = { schema } as unknown as ResourceHandler;

describe("secret fields", () => {
  it("a bad password fails naming the field and the rule, never echoing the value; later messages scrub it", () => {
    const { failures } = checkInputs(schema, { username: "desk", password: "abcd" });
    expect(failures).toEqual([{ property: "password", reason: "password: must be at least 5 characters" }]);
    checkInputs(schema, { username: "desk", password: "s3cr3t-pass" });
    expect(scrub("Plivo said: s3cr3t-pass is weak")).toBe("Plivo said: [REDACTED] is weak");
  });

  it("a secret output read from Plivo is scrubbed from messages; both are the schema's secrets", () => {
    const outs = outputsFromWire(schema, { phone_id: "1", username: "desk250101120000", token: "tok-0123456789abcdef" }, { password: "s3cr3t-pass" });
    expect(outs).toMatchObject({ phoneId: "1", username: "desk250101120000", token: "tok-0123456789abcdef", password: "s3cr3t-pass" });
    expect(scrub("token tok-0123456789abcdef")).toBe("token [REDACTED]");
    expect(secretNames(schema)).toEqual(["password", "token"]);
  });

  it("messages show a credential as [secret]", () => {
    expect(show("s3cr3t-pass", schema.inputs.password)).toBe("[secret]");
    expect(show("desk", schema.inputs.username)).toBe('"desk"');
  });
});

describe("values Plivo makes from the declared one (declaredFrom)", () => {
  const stored = { username: "desk250101120000", password: "s3cr3t-pass", phoneId: "1" };

  it("the stored form of the declared value is no diff; another declared value replaces; the password updates", () => {
    const same = checkInputs(schema, { username: "desk", password: "s3cr3t-pass" }).inputs;
    expect(diffInputs(schema, stored, same)).toEqual({ changes: false, replaces: [], updates: [] });
    const renamed = checkInputs(schema, { username: "phone", password: "s3cr3t-pass" }).inputs;
    expect(diffInputs(schema, stored, renamed)).toMatchObject({ replaces: ["username"], updates: [] });
    // A declared name that is only a prefix of the stored one without the 12-digit stamp is another name.
    expect(diffInputs(schema, { ...stored, username: "desks250101120000" }, same).replaces).toEqual(["username"]);
    const newPassword = checkInputs(schema, { username: "desk", password: "n3w-pass" }).inputs;
    expect(diffInputs(schema, stored, newPassword)).toMatchObject({ replaces: [], updates: ["password"] });
  });

  it("a preview predicts the stored form unknown on create, and keeps it on an in-place update", () => {
    const inputs = checkInputs(schema, { username: "desk", password: "s3cr3t-pass", alias: "a" }).inputs;
    expect(plannedCreate(handler, inputs)).toMatchObject({ username: UNKNOWN, password: "s3cr3t-pass", phoneId: UNKNOWN, token: UNKNOWN });
    expect(plannedUpdate(handler, stored, { ...inputs, alias: "b" })).toMatchObject({ username: "desk250101120000", alias: "b" });
  });

  it("an import reports the declared form as the input", () => {
    expect(inputsFromOutputs(schema, { ...stored, alias: "a" })).toEqual({ username: "desk", password: "s3cr3t-pass", alias: "a" });
  });
});
