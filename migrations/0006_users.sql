-- Staff who use the web app: signed in by a one-time email link, with
-- server-side sessions. Tokens are stored as SHA-256 hashes only.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,                 -- operator, head, admin, region, ministry
  region TEXT,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER
);

CREATE TABLE user_offices (
  user_id TEXT NOT NULL REFERENCES users(id),
  office_id TEXT NOT NULL REFERENCES offices(id),
  PRIMARY KEY (user_id, office_id)
);

CREATE TABLE sign_in_links (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX sign_in_links_user ON sign_in_links(user_id, created_at);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);

-- Messages that are not deadline notifications (sign-in links), as the local outbox shows them.
CREATE TABLE mail_outbox (
  id TEXT PRIMARY KEY,
  recipients TEXT NOT NULL,
  subject TEXT NOT NULL,
  text TEXT NOT NULL,
  html TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
