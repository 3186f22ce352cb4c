/**
 * An outbound endpoint never points inside. Subscriptions name the address
 * Termini posts signed events to (directly, or through its QStash relay):
 * checked when a subscription is created, on every change, and again at
 * each delivery, so an address stored before a rule existed is not used.
 *
 * Refused: anything but HTTPS; credentials in the address; an IP address
 * that is not global unicast — loopback, private, link-local, carrier-grade
 * NAT, multicast, reserved, unspecified, benchmarking, documentation, and
 * IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4, Teredo) or are
 * unique-local — in any spelling: the URL parser reads decimal, octal,
 * hexadecimal and shortened IPv4 forms as the address they mean, and
 * ipaddr.js classifies it; names that are local by construction
 * (localhost, *.localhost, *.local, *.internal, *.home.arpa, *.localdomain,
 * one-label names), with or without a trailing dot. Local development
 * (APP_BASE_URL on this machine) may also use loopback, over HTTP or HTTPS.
 *
 * A name is not resolved here (a Worker has no resolver of its own): see
 * docs/security.md for what Cloudflare itself refuses.
 */
import ipaddr from "ipaddr.js";

const LOCAL_SUFFIXES = ["localhost", "local", "internal", "home.arpa", "localdomain"];
const LOOPBACK_NAMES = new Set(["localhost"]);

/** Why an address is refused, in Italian, or null. `local`: a local deployment (loopback allowed). */
export function endpointProblem(url: string, local: boolean): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "indirizzo non valido";
  }
  if (u.username !== "" || u.password !== "") return "l'indirizzo non può contenere credenziali";
  if (u.protocol !== "https:" && u.protocol !== "http:") return "l'endpoint deve essere HTTPS";
  const host = u.hostname.replace(/^\[|\]$/g, "").replace(/\.+$/, "").toLowerCase();
  const loopback = isLoopback(host);
  if (local && loopback) return null;
  if (u.protocol !== "https:") return "l'endpoint deve essere HTTPS";
  if (ipaddr.isValid(host)) return addressProblem(ipaddr.parse(host));
  if (loopback || LOCAL_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`))) {
    return `il nome ${host} indica una rete locale: serve un indirizzo raggiungibile da Internet`;
  }
  if (!host.includes(".")) return `il nome ${host} non è un nome di dominio completo (es. ricevente.esempio.it)`;
  return null;
}

function isLoopback(host: string): boolean {
  if (LOOPBACK_NAMES.has(host) || host.endsWith(".localhost")) return true;
  if (!ipaddr.isValid(host)) return false;
  const a = unwrap(ipaddr.parse(host));
  return a.range() === "loopback";
}

/** An IPv6 address that carries an IPv4 one (mapped): the IPv4 address it carries. */
function unwrap(a: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return a.kind() === "ipv6" && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
}

function addressProblem(parsed: ipaddr.IPv4 | ipaddr.IPv6): string | null {
  const a = unwrap(parsed);
  // ::a.b.c.d, "IPv4-compatible" (deprecated, RFC 4291): an IPv4 address all the same.
  if (a.kind() === "ipv6" && (a as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0) && a.range() !== "loopback" && a.range() !== "unspecified") {
    return `l'indirizzo ${a.toString()} non è pubblico (IPv4 in IPv6): serve un indirizzo raggiungibile da Internet`;
  }
  const range = a.range();
  // Global unicast only: every named range (private, loopback, NAT64, 6to4, Teredo…) is someone's inside.
  if (range === "unicast" && parsed.range() === "unicast") return null;
  return `l'indirizzo ${a.toString()} non è pubblico (${RANGE_NAMES[range] ?? range}): serve un indirizzo raggiungibile da Internet`;
}

const RANGE_NAMES: Record<string, string> = {
  loopback: "indirizzo di questa stessa macchina", private: "rete privata", linkLocal: "rete locale di collegamento", carrierGradeNat: "NAT dell'operatore",
  multicast: "multicast", broadcast: "broadcast", unspecified: "indirizzo non specificato", reserved: "intervallo riservato",
  uniqueLocal: "rete privata IPv6", benchmarking: "intervallo di prova", ipv4Mapped: "IPv4 in IPv6", rfc6052: "IPv4 in IPv6 (NAT64)",
  rfc6145: "IPv4 in IPv6", "6to4": "IPv4 in IPv6 (6to4)", teredo: "IPv4 in IPv6 (Teredo)", amt: "intervallo riservato", as112: "intervallo riservato",
  as112v6: "intervallo riservato", deprecated: "intervallo dismesso", orchid2: "intervallo riservato",
};
