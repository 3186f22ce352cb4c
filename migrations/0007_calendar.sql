-- Personal calendar feeds: a secret address per user, revocable.
CREATE TABLE calendar_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX calendar_tokens_user ON calendar_tokens(user_id);
