-- Sign-in requests per client address, for the rate limit (addresses stored hashed).
CREATE TABLE sign_in_requests (
  client_hash TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX sign_in_requests_client ON sign_in_requests(client_hash, at);
