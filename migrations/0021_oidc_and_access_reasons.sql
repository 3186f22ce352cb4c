-- Sign-in through an institution's OpenID provider, and the reason of every consultation and
-- disclosure (art. 21 D.Lgs. 51/2018).

-- An authorization request on its way: the state (hashed, as the cookie holds it), the PKCE
-- verifier and the nonce the answer must carry; used once, within minutes.
CREATE TABLE oidc_attempts (
  state_hash TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  nonce TEXT NOT NULL,
  next TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX oidc_attempts_expiry ON oidc_attempts(expires_at);

-- SPID and CIE identify a person by fiscal number: only its keyed digest is stored, enough to
-- match the person who signs in, useless to anyone who reads the table without the key.
ALTER TABLE users ADD COLUMN fiscal_hash TEXT;
CREATE UNIQUE INDEX users_fiscal_hash ON users(fiscal_hash) WHERE fiscal_hash IS NOT NULL;

-- Which provider signed the session in (null: the email link), for the provider's own sign-out.
ALTER TABLE sessions ADD COLUMN provider TEXT;

-- The purpose an API credential's reads serve, declared when it is issued (a request may state its own).
ALTER TABLE api_credentials ADD COLUMN purpose TEXT;

-- The reason of a consultation or a disclosure, as the person or the process gave it.
ALTER TABLE audit_log ADD COLUMN reason TEXT;
-- The log read by period, and purged by age.
CREATE INDEX audit_log_at ON audit_log(at);

-- A reason a person declared for consulting a case the context gave no reason for: it holds for
-- that case for the rest of the session, so the page is not asked for again on each reload.
CREATE TABLE declared_reasons (
  session_hash TEXT NOT NULL,
  case_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (session_hash, case_id)
);

-- The log stays append-only; the one delete it accepts is the retention purge of rows older than
-- the horizon, and the horizon only moves forward (the purge is itself logged).
CREATE TABLE audit_horizon (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  before INTEGER NOT NULL
);
INSERT INTO audit_horizon (id, before) VALUES (1, 0);
CREATE TRIGGER audit_horizon_forward BEFORE UPDATE ON audit_horizon
WHEN NEW.before < OLD.before
BEGIN SELECT RAISE(ABORT, 'the audit horizon only moves forward'); END;
-- Nor past the shortest retention a deployment may set (one year, AUDIT_RETENTION_YEARS >= 1):
-- moving it to today would make the whole log deletable.
CREATE TRIGGER audit_horizon_bounded BEFORE UPDATE ON audit_horizon
WHEN NEW.before > CAST(strftime('%s', 'now') AS INTEGER) * 1000 - 365 * 86400000
BEGIN SELECT RAISE(ABORT, 'the audit horizon cannot pass one year ago'); END;
-- REPLACE INTO with an existing id would rewrite a row without the delete trigger firing
-- (recursive triggers are off): an insert may not name an id the log already has.
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_horizon_no_delete BEFORE DELETE ON audit_horizon
BEGIN SELECT RAISE(ABORT, 'the audit horizon cannot be deleted'); END;

DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.at >= (SELECT before FROM audit_horizon WHERE id = 1)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
