/**
 * The names behind the codes administrators choose from: the judicial districts (one per Corte
 * d'appello, by the sigla the directory uses; IT for national offices) and the regions. Italian.
 */
export const DISTRICT_NAMES: Readonly<Record<string, string>> = {
  IT: "Uffici nazionali", AN: "Ancona", BA: "Bari", BO: "Bologna", BS: "Brescia", CA: "Cagliari", CB: "Campobasso",
  CL: "Caltanissetta", CT: "Catania", CZ: "Catanzaro", FI: "Firenze", GE: "Genova", AQ: "L'Aquila", LE: "Lecce",
  ME: "Messina", MI: "Milano", NA: "Napoli", PA: "Palermo", PG: "Perugia", PZ: "Potenza", RC: "Reggio Calabria",
  RM: "Roma", SA: "Salerno", TN: "Trento", TO: "Torino", TS: "Trieste", VE: "Venezia",
};

export const REGIONS: readonly string[] = [
  "Abruzzo", "Basilicata", "Calabria", "Campania", "Emilia-Romagna", "Friuli-Venezia Giulia", "Lazio", "Liguria", "Lombardia",
  "Marche", "Molise", "Piemonte", "Puglia", "Sardegna", "Sicilia", "Toscana", "Trentino-Alto Adige", "Umbria", "Valle d'Aosta", "Veneto",
];

/** The kinds of office the catalogue and the demo directory use, as a person names them. */
export const OFFICE_KIND_NAMES: Readonly<Record<string, string>> = {
  "procura": "Procura della Repubblica (gruppo specializzato)", "procura-head": "Procuratore della Repubblica (capo dell'ufficio)",
  "pg-appello": "Procura Generale presso la Corte d'appello", "gip": "Ufficio GIP", "gip-head": "Presidente della sezione GIP",
  "questura": "Questura", "prefettura": "Prefettura", "uepe": "Ufficio di esecuzione penale esterna", "cuav": "CUAV (centro per autori di violenza)",
  "regione": "Regione", "dipartimento-po": "Dipartimento per le pari opportunità", "associazione": "Associazione",
  "citta-metropolitana": "Città metropolitana", "centro-antiviolenza": "Centro antiviolenza", "giunta-regionale": "Giunta regionale", "polizia": "Polizia giudiziaria", "tribunale": "Tribunale",
};
