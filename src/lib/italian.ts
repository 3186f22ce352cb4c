/**
 * Italian that agrees: the articulated preposition an office's name takes ("alla Procura", "al
 * Procuratore", "all'Ufficio", "allo Sportello") and a count with its noun ("1 scaduta", "2 scadute").
 * Office names come from the directory, so the article is read from the name's first word: a table of
 * the words office names start with, then the rules of the language for the rest.
 */

type Article = "il" | "lo" | "l'" | "la";
export type Preposition = "a" | "di" | "da" | "in" | "su";

const FORMS: Record<Preposition, Record<Article, string>> = {
  a: { "il": "al", "lo": "allo", "l'": "all'", "la": "alla" },
  di: { "il": "del", "lo": "dello", "l'": "dell'", "la": "della" },
  da: { "il": "dal", "lo": "dallo", "l'": "dall'", "la": "dalla" },
  in: { "il": "nel", "lo": "nello", "l'": "nell'", "la": "nella" },
  su: { "il": "sul", "lo": "sullo", "l'": "sull'", "la": "sulla" },
};

/** First words of office names whose gender the ending does not tell (or tells wrongly). */
const MASCULINE = new Set([
  "procuratore", "presidente", "tribunale", "dipartimento", "ministero", "centro", "cuav", "tavolo", "comune", "consiglio", "garante",
  "questore", "prefetto", "giudice", "servizio", "settore", "gip", "comando", "nucleo", "commissariato", "sistema", "programma",
]);
const FEMININE = new Set([
  "procura", "prefettura", "questura", "regione", "città", "giunta", "presidenza", "associazione", "corte", "direzione", "cancelleria",
  "segreteria", "divisione", "sezione", "casa", "rete", "cooperativa", "fondazione", "azienda", "asl", "polizia", "stazione",
]);

function articleOf(name: string): Article {
  const word = name.trim().split(/[\s—–-]+/)[0] ?? "";
  const lower = word.toLowerCase();
  const feminine = FEMININE.has(lower) || (!MASCULINE.has(lower) && /a$/i.test(word) && word !== word.toUpperCase());
  if (/^[aeiouàèéìòù]/i.test(word) || /^h[aeiou]/i.test(word)) return "l'";
  if (feminine) return "la";
  // s + consonant, z, gn, ps, x, y, pn take "lo".
  if (/^(s[bcdfghjklmnpqrstvwxz]|z|gn|ps|pn|x|y)/i.test(word)) return "lo";
  return "il";
}

/** "alla Procura della Repubblica …", "al Procuratore …", "all'Ufficio GIP …". */
export function withArticle(preposition: Preposition, name: string): string {
  const form = FORMS[preposition][articleOf(name)];
  return form.endsWith("'") ? `${form}${name.trim()}` : `${form} ${name.trim()}`;
}

/** "il Ministero della Giustizia", "la Regione Piemonte", "l'Ufficio …": the name with its article. */
export function withTheArticle(name: string): string {
  const a = articleOf(name);
  return a === "l'" ? `l'${name.trim()}` : `${a} ${name.trim()}`;
}

/** "1 scaduta", "2 scadute", "0 scadute". */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A length of time as a reader says it: whole days when it is some, else hours, else minutes ("5 giorni", "1 ora"). */
export function spanInItalian(ms: number): string {
  const [day, hour, minute] = [86_400_000, 3_600_000, 60_000];
  if (ms >= day && ms % day === 0) return count(ms / day, "giorno", "giorni");
  if (ms >= hour && ms % hour === 0) return count(ms / hour, "ora", "ore");
  return count(Math.max(1, Math.round(ms / minute)), "minuto", "minuti");
}
