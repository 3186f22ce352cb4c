/**
 * The reference's signing examples work: the curl recipe (bash, openssl),
 * run as documented, and the standardwebhooks library the Node example uses
 * both produce signatures Termini's own verification accepts.
 */
import { spawnSync } from "node:child_process";
import { Webhook } from "standardwebhooks";
import { expect, it } from "vitest";
import { verify } from "../../src/auth/standard-webhooks.js";
import { CURL } from "../../src/routes/docs-examples.js";

const SECRET = "whsec_dGVybWluaS1kb2NzLWV4YW1wbGUtc2VjcmV0LTAxMjM0NTY3ODk=";
const secrets = [{ senderId: "docs", secretId: "docs-1", secret: SECRET }];

it("signs as documented with curl's recipe, and Termini verifies it", async () => {
  // The recipe up to the signature, with the secret set and the id and time printed instead of sent.
  const recipe = CURL.split("\n").filter((l) => !l.startsWith("curl") && !l.startsWith("  -H")).join("\n").replace("SECRET='whsec_…'", `SECRET='${SECRET}'`);
  const out = spawnSync("bash", ["-c", `${recipe}\nprintf '%s\\n%s\\n%s\\n%s' "$id" "$ts" "v1,$sig" "$body"`], { encoding: "utf8" });
  expect(out.status, out.stderr).toBe(0);
  const [id, ts, signature, body] = out.stdout.split("\n") as [string, string, string, string];
  const v = await verify({ id, timestamp: ts, signature }, body, secrets, Number(ts));
  expect(v).toMatchObject({ ok: true, senderId: "docs" });
});

it("accepts what the Node example's library signs, and refuses it for another body", async () => {
  const at = new Date();
  const ts = Math.floor(at.getTime() / 1000);
  const body = JSON.stringify({ type: "suspect.registered", caseRef: "1234/2026", occurredAt: "2026-10-01T10:00:00+02:00", data: { jurisdiction: "TO" } });
  const signature = new Webhook(SECRET).sign("msg_docs", at, body);
  expect(await verify({ id: "msg_docs", timestamp: String(ts), signature }, body, secrets, ts)).toMatchObject({ ok: true });
  expect(await verify({ id: "msg_docs", timestamp: String(ts), signature }, body.replace("TO", "MI"), secrets, ts)).toMatchObject({ ok: false });
});
