/**
 * Where an incoming event goes: the district database of its case. One
 * candidate district (the usual case: a district's own system, or a hint)
 * costs the same single read batch as before; a caller acting in several
 * districts has each candidate read at once, and the event goes where its
 * first delivery was recorded, else where the caller's case is.
 */
import type { Principal } from "../../auth/principal.js";
import type { Db } from "../../db/client.js";
import type { Directory } from "../../db/directory.js";
import { dbsFor, plusLegacy } from "../../db/districts.js";
import { type EventKeys, type EventState, readEventState } from "../../db/event-state.js";
import type { Bindings } from "../../env.js";
import { DomainFailure } from "../failure.js";
import { pickVisible } from "../cases/case-lookup.js";
import { candidateDistricts } from "./case-district.js";

export interface Routed {
  db: Db;
  state: EventState;
}

/**
 * `ev.starts`: the event may open a new case (a timeline's trigger), which needs its district named when
 * the caller acts in several; otherwise a case found nowhere is `ev.missing`.
 */
export async function readRoutedState(
  env: Bindings, dir: Directory, p: Principal, keys: EventKeys, ev: { data?: Record<string, unknown>; starts: boolean; missing: () => Error },
): Promise<Routed> {
  const wanted = candidateDistricts(dir, p, keys.hint ?? {}, ev.data);
  const dbs = dbsFor(env, wanted);
  if (dbs.length === 0) {
    // No case can be in a district this deployment does not serve.
    if (!ev.starts) throw ev.missing();
    throw new DomainFailure("invalid_parameter", `Distretto ${[wanted].flat().join(", ")} non servito da questo servizio`, { parameter: keys.hint?.office !== undefined ? "office" : "district" });
  }
  // While the move from the single layout is pending, a case may still be in the central database.
  const all = await plusLegacy(env, dbs, Date.now());
  const states = await Promise.all(all.map((db) => readEventState(db, keys)));
  if (states.length === 1) return { db: all[0]!, state: states[0]! };
  // A repeat goes where the first delivery was recorded.
  const repeat = states.findIndex((s) => s.previous !== undefined || s.firstResponse !== undefined);
  if (repeat >= 0) return { db: all[repeat]!, state: states[repeat]! };
  // The caller's case goes where it is (during the move, not always its district's database).
  const mine = pickVisible(dir, p, keys.ref, states.flatMap((s) => s.cases));
  const holding = mine === undefined ? -1 : states.findIndex((s) => s.cases.includes(mine));
  if (holding >= 0) return { db: all[holding]!, state: states[holding]! };
  // A new case: only where the caller's district is known (the central database during a move is not a candidate).
  if (dbs.length === 1) return { db: dbs[0]!, state: states[0]! };
  if (!ev.starts) throw ev.missing();
  throw new DomainFailure("invalid_parameter", `data.jurisdiction: indicare il distretto del procedimento (${dbs.map((d) => d.district).join(", ")})`, {
    parameter: "data.jurisdiction",
  });
}
