#pragma once
// Opening the backend's storage from a --database value:
//   sqlite:PATH                         one SQLite file (the embedded default: a ward, a demo)
//   postgresql://USER@HOST:PORT/DB?...  PostgreSQL 15 through libpq (also postgres://, and the
//   postgresql:///DB?host=/run/dir      socket form); any libpq connection URI is accepted.
// Thread-safety: free functions; the storage returned is thread-safe (backend_storage.hpp).
#include <expected>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "storage/backend_storage.hpp"

namespace ksync::backend {

struct DatabaseUrl {
    enum class Kind { Sqlite, Postgresql };
    Kind kind = Kind::Sqlite;
    std::string target;  // the file path, or the libpq connection URI
    // For messages: the URI without its password.
    std::string redacted() const;
};

// The error is one English line for the operator.
std::expected<DatabaseUrl, std::string> parseDatabaseUrl(std::string_view text);

struct OpenOptions {
    bool migrate =
        true;  // apply pending migrations (under a lock: several processes may start at once)
    bool readOnly = false;  // SQLite only: for tools that only look
    int poolSize = 8;       // PostgreSQL connections per process (at most)
    int poolWaitMs = 2000;  // a request waits this long for a free connection, then 503
    int statementTimeoutMs =
        5000;  // PostgreSQL statement_timeout: a slow query becomes 503, never a hang
    int connectTimeoutS = 3;
};

// Opens (and by default migrates) the database. Fails with one clear line when the database
// cannot be reached, refuses the credentials, or was written by a newer kiosk-backend.
Result<std::unique_ptr<BackendStorage>> openStorage(const DatabaseUrl& url,
                                                    const OpenOptions& options = {});

}  // namespace ksync::backend
