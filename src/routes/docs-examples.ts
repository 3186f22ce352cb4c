/**
 * The signed-request examples /docs shows (curl, Node, Python). The curl
 * one is run by test/oracle/docs-examples.test.ts and must produce the
 * signature Termini verifies.
 */
export const CURL = `SECRET='whsec_…'   # il segreto del sistema mittente
body='{"type":"suspect.registered","caseRef":"1234/2026","occurredAt":"2026-10-01T10:00:00+02:00","data":{"jurisdiction":"TO"}}'
id="msg_$(date +%s%N)"; ts=$(date +%s)
key=$(printf %s "\${SECRET#whsec_}" | base64 -d | od -An -tx1 | tr -d ' \\n')
sig=$(printf '%s.%s.%s' "$id" "$ts" "$body" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | base64)
curl -X POST https://termini.example/webhooks/events -H 'Content-Type: application/json' \\
  -H "webhook-id: $id" -H "webhook-timestamp: $ts" -H "webhook-signature: v1,$sig" --data "$body"`;

export const NODE = `import { Webhook } from "standardwebhooks";

const wh = new Webhook(process.env.TERMINI_SECRET);           // whsec_…
const body = JSON.stringify({ type: "suspect.registered", caseRef: "1234/2026", occurredAt: "2026-10-01T10:00:00+02:00", data: { jurisdiction: "TO" } });
const id = \`msg_\${crypto.randomUUID()}\`;                      // lo stesso id a ogni nuovo tentativo
const at = new Date();
const res = await fetch("https://termini.example/webhooks/events", {
  method: "POST", body,
  headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": wh.sign(id, at, body) },
});

// Ricevere gli eventi di Termini: verificare prima di usare il corpo.
const event = new Webhook(process.env.TERMINI_SUBSCRIPTION_SECRET).verify(rawBody, request.headers);`;

export const PYTHON = `import base64, hashlib, hmac, json, time, uuid, urllib.request

secret = base64.b64decode(SECRET.removeprefix("whsec_"))
body = json.dumps({"type": "suspect.registered", "caseRef": "1234/2026", "occurredAt": "2026-10-01T10:00:00+02:00", "data": {"jurisdiction": "TO"}}, separators=(",", ":"))
msg_id, ts = f"msg_{uuid.uuid4().hex}", str(int(time.time()))
sig = base64.b64encode(hmac.new(secret, f"{msg_id}.{ts}.{body}".encode(), hashlib.sha256).digest()).decode()
req = urllib.request.Request("https://termini.example/webhooks/events", data=body.encode(), method="POST",
    headers={"Content-Type": "application/json", "webhook-id": msg_id, "webhook-timestamp": ts, "webhook-signature": f"v1,{sig}"})
urllib.request.urlopen(req)

# Ricevere gli eventi di Termini (pacchetto standardwebhooks):
# from standardwebhooks.webhooks import Webhook; Webhook(SUBSCRIPTION_SECRET).verify(raw_body, headers)`;
