/**
 * `pulumi-plivo scan` through the real CLI: two stacks of a program, then objects of every kind made out of band
 * (a number, an application, a Powerpack, a profile, a brand, a campaign, a number link, a toll-free verification)
 * plus what an interrupted run leaves (a number bought for a resource, found by its marker and by this machine's
 * journal). The scan finds exactly those, none that a stack manages; a printed adoptId line brings its object under
 * management.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CreateJournal } from "../../provider/core/journal";
import { purchaseMarker } from "../../provider/core/marker";
import { activeCampaign, buyLongCode, buyTollfree, createTfv, makeProfile } from "../emulator/async-fixtures";
import { plivoApi, runScan as scan, STEP_TIMEOUT_MS, useExampleProject } from "./emulatorFixture";
import { REPO_ROOT } from "./harness";

const key = (type: string, id: string) => `${type} ${id}`;

describe.sequential("pulumi-plivo scan", () => {
  const s = useExampleProject("numbers", { programDir: path.join(REPO_ROOT, "test", "engine", "programs", "numbers"), config: { count: "2" } });
  const outOfBand = new Map<string, string>(); // key → advice expected
  const managed: string[] = [];
  let appLine = "";
  let appId = "";

  it(
    "finds every object made outside the stacks and none that they manage",
    async () => {
      const dev = s.project;
      const prod = await s.stack("prod", { count: "1" });
      await dev.up();
      await prod.up();
      for (const p of [dev, prod]) {
        const exported = await p.exportStack();
        managed.push(
          ...exported.deployment.resources.filter((r: any) => String(r.type).includes("plivo:")).map((r: any) => key(String(r.type).split(":").pop()!, r.id)),
        );
      }
      expect(managed).toHaveLength(3);

      // Out of band: one object of every kind.
      const number = await buyLongCode(s.emulator);
      outOfBand.set(key("PhoneNumber", number), "unknown");
      const app = await plivoApi(s, "POST", "Application/", { app_name: "legacy-ivr", answer_url: "https://example.com/ivr" });
      outOfBand.set(key("Application", app.app_id), "unknown");
      const pp = await plivoApi(s, "POST", "Powerpack/", { name: "legacy-pool" });
      outOfBand.set(key("Powerpack", pp.uuid), "unknown");
      const profile = await makeProfile(s.emulator, { profile_alias: "spare" });
      outOfBand.set(key("Profile", profile), "unknown");
      const { brandId, campaignId } = await activeCampaign(s.emulator);
      const brandProfile = (await plivoApi(s, "GET", `10dlc/Brand/${brandId}/`)).brand.profile_uuid;
      outOfBand.set(key("Profile", brandProfile), "unknown");
      outOfBand.set(key("Brand", brandId), "unknown");
      outOfBand.set(key("Campaign", campaignId), "unknown");
      await plivoApi(s, "POST", `10dlc/Campaign/${campaignId}/Number/`, { numbers: [number] });
      outOfBand.set(key("CampaignNumberLink", `${campaignId}/${number}`), "unknown");
      const tollfree = await buyTollfree(s.emulator);
      outOfBand.set(key("PhoneNumber", tollfree), "unknown");
      const tfv = await createTfv(s.emulator, profile, tollfree);
      outOfBand.set(key("TollfreeVerification", tfv), "unknown");

      // What interrupted runs leave: a number bought for dev's line-1 (which holds another: an extra one), found by
      // its marker; a number an interrupted create of prod's line-1 (not in its state) bought, found by the journal.
      const devLine1 = (await dev.exportStack()).deployment.resources.find((r: any) => r.urn.endsWith("::line-1")).urn as string;
      const extra = await buyLongCode(s.emulator, "415");
      await plivoApi(s, "POST", `Number/${extra}/`, { alias: purchaseMarker(devLine1) });
      outOfBand.set(key("PhoneNumber", extra), "extra");
      const interrupted = await buyLongCode(s.emulator, "646");
      const prodLine1 = devLine1.replace("urn:pulumi:dev::", "urn:pulumi:prod::");
      new CreateJournal(path.join(dev.env.PULUMI_HOME!, "plivo-journal")).record({
        urn: prodLine1,
        type: "PhoneNumber",
        account: s.emulator.authId,
        key: `buy ${interrupted}`,
        id: interrupted,
      });
      outOfBand.set(key("PhoneNumber", interrupted), "adopt");

      const res = await scan(dev, ["--json", "--exit-code"]);
      expect(res.stderr).toBe("");
      expect(res.code).toBe(3);
      const [report] = JSON.parse(res.stdout);
      expect(report.stacks.sort()).toEqual(["dev", "prod"]);
      const found = new Map<string, string>(report.unmanaged.map((f: any) => [key(f.object.type, f.object.id), f.advice]));
      expect(Object.fromEntries(found)).toEqual(Object.fromEntries(outOfBand));
      for (const m of managed) expect(found.has(m), `${m} is managed`).toBe(false);
      expect(report.managed).toBe(report.objects - outOfBand.size);
      appLine = report.unmanaged.find((f: any) => f.object.type === "Application").program;
      expect(appLine).toMatch(
        new RegExp(`^new plivo\\.Application\\("legacy-ivr", \\{ adoptId: "${app.app_id}", appName: "legacy-ivr", answerUrl: "https://example.com/ivr"`),
      );
      appId = app.app_id;

      // The human form names whose each object is.
      const text = await scan(dev, ["--stack", "dev", "--stack", "prod"]);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(`PhoneNumber ${extra}: made for line-1 in stack dev (its purchase marker), which now holds`);
      expect(text.stdout).toContain(`PhoneNumber ${interrupted}: made for line-1 in stack prod (an interrupted create on this machine)`);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "a printed adoptId line brings its object under management; the scan then no longer lists it",
    async () => {
      const dev = s.project;
      const file = path.join(dev.dir, "index.js");
      const before = fs.readFileSync(file, "utf8");
      const apps = (await s.emulator.state()).applications.length;
      fs.writeFileSync(file, `${before}\n${appLine}\n`);
      try {
        await dev.up();
        await dev.preview({ expectNoChanges: true });
        expect((await s.emulator.state()).applications).toHaveLength(apps); // adopted, not created
        const [report] = JSON.parse((await scan(dev, ["--json"])).stdout);
        const keys = report.unmanaged.map((f: any) => key(f.object.type, f.object.id));
        expect(keys).not.toContain(key("Application", appId));
        expect(keys).toHaveLength(outOfBand.size - 1);
      } finally {
        fs.writeFileSync(file, before);
      }
    },
    STEP_TIMEOUT_MS,
  );
});
