import { expect } from "vitest";
import { api } from "../backbone/helpers.js";
import { fakeEndpoint } from "../fake-endpoint/client.js";

/** A subscription through the API to a fresh fake receiver, which verifies with the secret the answer gave. */
export async function subscribe(name: string, body: Record<string, unknown>) {
  const endpoint = fakeEndpoint(name);
  const res = await api("POST", "/api/v1/subscriptions", { body: { url: endpoint.url, ...body } });
  expect(res.status).toBe(201);
  const created = (await res.json()) as { id: string; secret: string };
  await endpoint.setup({ secret: created.secret });
  return { endpoint, id: created.id, secret: created.secret };
}

