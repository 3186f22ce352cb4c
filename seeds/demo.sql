-- Demo directory for local development: fictional offices of the Turin
-- district (and a Milan Procura and GIP, so that two districts meet), example.org
-- addresses. Safe to apply repeatedly.
-- Local-only credentials (never deploy them):
--   webhook sender "demo": whsec_dGVybWluaS1sb2NhbC1kZW1vLXNlY3JldA==
--   webhook sender "demo-milano": whsec_dGVybWluaS1sb2NhbC1taWxhbm8tc2VjcmV0
--   admin bearer token:    termini-local-demo-token
--   Procura bearer token:  termini-local-procura-token
--   Turin GIP token:       termini-local-gip-token
--   Milan Procura token:   termini-local-procura-milano-token
--   ministry officer:      termini-local-ministero-token
--   region officer:        termini-local-regione-token (Piemonte)
INSERT OR IGNORE INTO offices (id, kind, name, jurisdiction, calendar, emails, fallback_email, escalates_to) VALUES
  ('pg-torino', 'pg-appello', 'Procura Generale presso la Corte d''appello di Torino', 'TO', 'IT-TO', '["pg.torino@example.org"]', 'segreteria.pg.torino@example.org', NULL),
  ('procuratore-torino', 'procura-head', 'Procuratore della Repubblica presso il Tribunale di Torino', 'TO', 'IT-TO', '["procuratore.torino@example.org"]', 'segreteria.procuratore.torino@example.org', 'pg-torino'),
  ('procura-torino', 'procura', 'Procura della Repubblica presso il Tribunale di Torino — gruppo fasce deboli', 'TO', 'IT-TO', '["fasce.deboli.procura.torino@example.org"]', 'segreteria.procura.torino@example.org', 'procuratore-torino'),
  ('gip-presidente-torino', 'gip-head', 'Presidente della sezione GIP del Tribunale di Torino', 'TO', 'IT-TO', '["presidenza.gip.torino@example.org"]', 'cancelleria.presidenza.gip.torino@example.org', 'pg-torino'),
  ('gip-torino', 'gip', 'Ufficio GIP del Tribunale di Torino', 'TO', 'IT-TO', '["cancelleria.gip.torino@example.org"]', 'dirigente.cancelleria.gip.torino@example.org', 'gip-presidente-torino'),
  ('questura-torino', 'questura', 'Questura di Torino — divisione anticrimine', 'TO', 'IT-TO', '["anticrimine.questura.torino@example.org"]', 'gabinetto.questura.torino@example.org', NULL),
  ('prefettura-torino', 'prefettura', 'Prefettura di Torino', 'TO', 'IT-TO', '["protocollo.prefettura.torino@example.org"]', 'gabinetto.prefettura.torino@example.org', NULL),
  ('dipartimento-po', 'dipartimento-po', 'Presidenza del Consiglio — Dipartimento per le pari opportunità', 'IT', 'IT', '["registro.dpo@example.org"]', 'segreteria.dpo@example.org', NULL),
  ('associazione-demo-torino', 'associazione', 'Associazione dimostrativa iscritta al registro (Torino)', 'TO', 'IT-TO', '["segreteria.associazione.demo@example.org"]', 'presidenza.associazione.demo@example.org', 'dipartimento-po'),
  ('regione-piemonte', 'regione', 'Regione Piemonte — settore pari opportunità', 'TO', 'IT', '["pari.opportunita.regione@example.org"]', 'segreteria.regione@example.org', 'dipartimento-po'),
  ('citta-metropolitana-torino', 'citta-metropolitana', 'Città metropolitana di Torino — Tavolo sui programmi per autori di violenza', 'TO', 'IT-TO', '["tavolo.rac@example.org"]', 'segreteria.tavolo.rac@example.org', NULL),
  ('uepe-torino', 'uepe', 'Ufficio di esecuzione penale esterna di Torino', 'TO', 'IT-TO', '["uepe.torino@example.org"]', 'direzione.uepe.torino@example.org', NULL),
  ('cuav-torino', 'cuav', 'CUAV Torino (centro per uomini autori di violenza)', 'TO', 'IT-TO', '["segreteria.cuav.torino@example.org"]', 'direzione.cuav.torino@example.org', NULL);

INSERT OR IGNORE INTO offices (id, kind, name, jurisdiction, calendar, emails, fallback_email, escalates_to, region) VALUES
  ('pg-milano', 'pg-appello', 'Procura Generale presso la Corte d''appello di Milano', 'MI', 'IT-MI', '["pg.milano@example.org"]', 'segreteria.pg.milano@example.org', NULL, 'Lombardia'),
  ('procuratore-milano', 'procura-head', 'Procuratore della Repubblica presso il Tribunale di Milano', 'MI', 'IT-MI', '["procuratore.milano@example.org"]', 'segreteria.procuratore.milano@example.org', 'pg-milano', 'Lombardia'),
  ('procura-milano', 'procura', 'Procura della Repubblica presso il Tribunale di Milano — fasce deboli', 'MI', 'IT-MI', '["fasce.deboli.procura.milano@example.org"]', 'segreteria.procura.milano@example.org', 'procuratore-milano', 'Lombardia'),
  ('gip-presidente-milano', 'gip-head', 'Presidente della sezione GIP del Tribunale di Milano', 'MI', 'IT-MI', '["presidenza.gip.milano@example.org"]', 'cancelleria.presidenza.gip.milano@example.org', 'pg-milano', 'Lombardia'),
  ('gip-milano', 'gip', 'Ufficio GIP del Tribunale di Milano', 'MI', 'IT-MI', '["cancelleria.gip.milano@example.org"]', 'dirigente.cancelleria.gip.milano@example.org', 'gip-presidente-milano', 'Lombardia');

-- Regions, for the reports.
UPDATE offices SET region = 'Piemonte' WHERE jurisdiction = 'TO';

INSERT OR IGNORE INTO webhook_senders (id, name, created_at) VALUES ('demo', 'Sistema dimostrativo del distretto di Torino', CAST(strftime('%s', 'now') AS INTEGER) * 1000);
INSERT OR IGNORE INTO sender_offices (sender_id, office_id) VALUES
  ('demo', 'procura-torino'), ('demo', 'gip-torino'), ('demo', 'cuav-torino');
INSERT OR IGNORE INTO webhook_secrets (id, sender_id, secret, created_at, expires_at) VALUES
  ('demo-1', 'demo', 'whsec_dGVybWluaS1sb2NhbC1kZW1vLXNlY3JldA==', CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL);
INSERT OR IGNORE INTO webhook_senders (id, name, created_at) VALUES ('demo-milano', 'Sistema dimostrativo del distretto di Milano', CAST(strftime('%s', 'now') AS INTEGER) * 1000);
INSERT OR IGNORE INTO sender_offices (sender_id, office_id) VALUES ('demo-milano', 'procura-milano'), ('demo-milano', 'gip-milano');
INSERT OR IGNORE INTO webhook_secrets (id, sender_id, secret, created_at, expires_at) VALUES
  ('demo-milano-1', 'demo-milano', 'whsec_dGVybWluaS1sb2NhbC1taWxhbm8tc2VjcmV0', CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL);

-- Tokens are stored as SHA-256 hex digests.
INSERT OR IGNORE INTO api_credentials (id, name, token_hash, role, created_at, revoked_at) VALUES
  ('demo-admin', 'Amministratore locale', 'f9d0b62dabc0340ca39893285dca4e17dd692812855016c4e4169d36bb0271fe', 'admin', CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL),
  ('demo-procura', 'Procura di Torino (locale)', '4072d3c2e741b98f125771fa53ed838d81862322f2e1cffb8cadaa453572c9ea', 'staff', CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL),
  ('demo-gip', 'Ufficio GIP di Torino (locale)', '60ef0c33e1c5ada13049cda3f6d3d085ea0097a1b4a8d55bc54b0a1c00b4228e', 'staff', CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL),
  ('demo-procura-milano', 'Procura di Milano (locale)', 'e80afe3dcb5fa2dd44967b48a8a7f1834d82289c3c60fb8c91b0b434bd20225d', 'staff', CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL);
INSERT OR IGNORE INTO api_credentials (id, name, token_hash, role, created_at, revoked_at, region) VALUES
  ('demo-ministero', 'Ministero — Dipartimento per le pari opportunità (locale)', '9d54693d0c5b18bde59aac718bff28f696c87f0b7d437bbaf0faf376bb2af975', 'ministry', CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL, NULL),
  ('demo-regione', 'Regione Piemonte (locale)', 'fd89df0a754494db5fbbdda7227d3dd08e9a9c327bd0f21963136e818fa7207e', 'region', CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL, 'Piemonte');
-- The purpose each system's reads serve, declared when its credential is issued (the audit log's reason).
UPDATE api_credentials SET purpose = 'gestione delle scadenze dei procedimenti dell''ufficio (sistema di registro)' WHERE id IN ('demo-procura', 'demo-gip', 'demo-procura-milano') AND purpose IS NULL;
UPDATE api_credentials SET purpose = 'amministrazione del servizio' WHERE id = 'demo-admin' AND purpose IS NULL;
UPDATE api_credentials SET purpose = 'relazioni annuali sull''attuazione (dati aggregati)' WHERE id IN ('demo-ministero', 'demo-regione') AND purpose IS NULL;
INSERT OR IGNORE INTO credential_offices (credential_id, office_id) VALUES
  ('demo-procura', 'procura-torino'), ('demo-ministero', 'dipartimento-po'), ('demo-regione', 'regione-piemonte'),
  ('demo-gip', 'gip-torino'), ('demo-procura-milano', 'procura-milano');

-- Web app users (sign in at /accedi with the address; the link arrives in the outbox).
INSERT OR IGNORE INTO users (id, email, name, role, region, created_at, accepted_at) VALUES
  ('u-procura', 'operatore.procura@example.org', 'Operatore della Procura (prova)', 'operator', NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
  ('u-procuratore', 'procuratore@example.org', 'Procuratore (prova)', 'head', NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
  ('u-regione', 'funzionario.regione@example.org', 'Funzionario della Regione (prova)', 'region', 'Piemonte', CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
  ('u-ministero', 'funzionario.ministero@example.org', 'Funzionario del Dipartimento (prova)', 'ministry', NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
  ('u-admin', 'amministratore@example.org', 'Amministratore (prova)', 'admin', NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
  ('u-dpo', 'protezione.dati@example.org', 'Responsabile della protezione dei dati (prova)', 'dpo', NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
INSERT OR IGNORE INTO user_offices (user_id, office_id) VALUES
  ('u-procura', 'procura-torino'), ('u-procuratore', 'procuratore-torino'),
  ('u-regione', 'regione-piemonte'), ('u-ministero', 'dipartimento-po');
