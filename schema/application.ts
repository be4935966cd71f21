/** Application: a bundle of answer, hangup and message URLs (docs/plivo-api.md §3). */
import { z } from "zod";
import { f, upper } from "./fields";
import { APP_ID, SUBACCOUNT_ID } from "./ids";
import { defineResource } from "./resource";

const method = (wire: string, what: string) => f.enum(["GET", "POST"], { wire, default: "POST", description: `HTTP method Plivo uses for the ${what}.` });

export const applicationSchema = defineResource({
  type: "Application",
  description: "A Plivo application: the answer, hangup and message URLs that numbers and endpoints point to.",
  deletion:
    "Deletes the application with `cascade=false`: SIP endpoints attached to it survive. Numbers that pointed to it are left without an application (docs/plivo-api.md §3.5).",
  idDescription: "the application id (`app_id`, a numeric string such as 20468599130939380)",
  idField: "appId",
  idFormat: APP_ID,
  example: {
    name: "support",
    inputs: { appName: "support", answerUrl: "https://example.com/voice/answer", messageUrl: "https://example.com/sms/inbound" },
  },
  inputs: {
    appName: f.string({
      wire: "app_name",
      required: true,
      onChange: "replace",
      max: 255,
      pattern: /^[A-Za-z0-9_-]+$/,
      patternText: "may contain only letters, digits, '-' and '_'",
      description: "Name of the application. Plivo cannot rename an application: changing it replaces the application.",
    }),
    answerUrl: f.url({ wire: "answer_url", required: true, description: "URL Plivo fetches XML from when a call is answered." }),
    answerMethod: method("answer_method", "answer URL"),
    hangupUrl: f.url({ wire: "hangup_url", computed: true, description: "URL notified when a call hangs up. Plivo defaults it to the answer URL." }),
    hangupMethod: method("hangup_method", "hangup URL"),
    fallbackAnswerUrl: f.url({
      wire: "fallback_answer_url",
      clearValue: "",
      description: "URL used when the answer URL is unreachable or returns invalid XML.",
    }),
    fallbackMethod: method("fallback_method", "fallback answer URL"),
    messageUrl: f.url({ wire: "message_url", clearValue: "", description: "URL that receives inbound SMS/MMS." }),
    messageMethod: method("message_method", "message URL"),
    defaultNumberApp: f.boolean({
      wire: "default_number_app",
      readWire: "default_app",
      default: false,
      description: "Make this the application new numbers are attached to when bought without an application.",
    }),
    defaultEndpointApp: f.boolean({
      wire: "default_endpoint_app",
      default: false,
      description: "Make this the application new SIP endpoints are attached to.",
    }),
    subaccount: f.id(SUBACCOUNT_ID, {
      wire: "subaccount",
      readWire: "sub_account",
      // An application made with a subaccount's own credentials belongs to it without saying so (docs/stages.md).
      computed: true,
      normalize: upper,
      description:
        "Auth id of the subaccount the application belongs to, when the main account creates it for one. Omit it for the main " +
        "account, and under a subaccount's own provider (what that provider creates is the subaccount's); `\"\"` hands the " +
        "application back to the main account.",
    }),
    logIncomingMessages: f.boolean({
      wire: "log_incoming_messages",
      default: true,
      description: "Whether Plivo keeps the content of incoming messages in its logs.",
    }),
    publicUri: f.boolean({ wire: "public_uri", default: false, description: "Whether the application's SIP URI accepts calls from the public." }),
  },
  outputs: {
    appId: f.output("app_id", "The application id."),
    sipUri: f.output("sip_uri", "SIP URI of the application (sip:{app_id}@app.plivo.com)."),
    enabled: f.outputOf(z.boolean(), "enabled", "Whether the application is enabled."),
    resourceUri: f.output("resource_uri", "API URI of the application."),
  },
});
