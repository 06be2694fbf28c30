#include "store/migrations.hpp"

#include <array>

namespace ksync::store {
namespace {

constexpr std::string_view kV1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- One row per confirmed submission. The header columns stay plain; `content` holds the
-- canonical content bytes (content_format 'plain') or, once sealing is on, the sealed blob.
CREATE TABLE records (
  seq            INTEGER PRIMARY KEY CHECK (seq >= 1),
  id             TEXT NOT NULL UNIQUE,
  tracking_code  TEXT NOT NULL UNIQUE,
  kiosk_id       TEXT NOT NULL,
  type           TEXT NOT NULL CHECK (type IN ('PAKN', 'SKGP')),
  category       TEXT NOT NULL,
  channel        TEXT NOT NULL CHECK (channel IN ('kiosk', 'staff_entry')),
  staff_assisted INTEGER NOT NULL CHECK (staff_assisted IN (0, 1)),
  language       TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  clock_synced   INTEGER NOT NULL CHECK (clock_synced IN (0, 1)),
  content_digest TEXT NOT NULL,
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL UNIQUE,
  content_format TEXT NOT NULL DEFAULT 'plain',
  content        BLOB NOT NULL
);

-- Upload state per record. queued -> sending -> uploaded; quarantined when the backend
-- refuses it for good (conflict, permanent rejection): staff look at it, the queue goes on.
CREATE TABLE outbox (
  seq             INTEGER PRIMARY KEY REFERENCES records(seq),
  state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'uploaded', 'quarantined')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  uploaded_at     TEXT,
  created_ms      INTEGER NOT NULL
);
CREATE INDEX outbox_pending ON outbox (state, next_attempt_ms, seq);

-- Status updates from the backend, newest last; status_latest is the cache the screens read.
CREATE TABLE status_events (
  tracking_code TEXT NOT NULL,
  status        TEXT NOT NULL,
  note          TEXT NOT NULL DEFAULT '',
  agency        TEXT NOT NULL DEFAULT '',
  officer       TEXT NOT NULL DEFAULT '',
  expected_date TEXT NOT NULL DEFAULT '',
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (tracking_code, updated_at, status)
);
CREATE TABLE status_latest (
  tracking_code TEXT PRIMARY KEY,
  status        TEXT NOT NULL,
  note          TEXT NOT NULL DEFAULT '',
  agency        TEXT NOT NULL DEFAULT '',
  officer       TEXT NOT NULL DEFAULT '',
  expected_date TEXT NOT NULL DEFAULT '',
  updated_at    TEXT NOT NULL
);

-- The backend's config document (categories, wards, messages, holidays, deadlines).
CREATE TABLE config_cache (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  version    TEXT NOT NULL,
  etag       TEXT NOT NULL DEFAULT '',
  document   TEXT NOT NULL,
  fetched_at TEXT NOT NULL
);

-- Sync bookkeeping: last contact, last error, cursors.
CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

// v2: content is sealed to the backend's key when the record is committed; rows written before
// the kiosk knew the key are sealed as soon as it does, found through this index.
constexpr std::string_view kV2 = R"sql(
CREATE INDEX records_unsealed ON records (seq) WHERE content_format NOT LIKE 'sealed:%';
)sql";

// v3: payload dictionaries installed from a return bundle (USB), beside the shipped ones.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE payload_dictionaries (
  name         TEXT PRIMARY KEY,
  bytes        BLOB NOT NULL,
  installed_at TEXT NOT NULL
);
)sql";

// v4 (issue #14): the verifier of a case's receipt secret (receipt_proof.hpp; empty for records
// made before secrets, and for supplements and ratings), and the case a supplement or rating
// belongs to. Plain on the kiosk: the content holding both is sealed to the backend.
constexpr std::string_view kV4 = R"sql(
ALTER TABLE records ADD COLUMN proof_verifier TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN parent_code TEXT NOT NULL DEFAULT '';
)sql";

constexpr std::array<std::string_view, 4> kMigrations{kV1, kV2, kV3, kV4};

}  // namespace

std::span<const std::string_view> migrations() {
    return kMigrations;
}

}  // namespace ksync::store
