#include "storage/open_storage.hpp"

#include "storage/pg_storage.hpp"
#include "storage/sqlite_storage.hpp"

namespace ksync::backend {

std::string DatabaseUrl::redacted() const {
    if (kind == Kind::Sqlite) return "sqlite:" + target;
    // postgresql://user:secret@host/db -> postgresql://user:***@host/db; password=... likewise.
    std::string out = target;
    if (const auto scheme = out.find("://"); scheme != std::string::npos) {
        const auto at = out.find('@', scheme + 3);
        const auto colon = out.find(':', scheme + 3);
        if (at != std::string::npos && colon != std::string::npos && colon < at)
            out.replace(colon + 1, at - colon - 1, "***");
    }
    if (const auto pw = out.find("password="); pw != std::string::npos) {
        const auto end = out.find_first_of("& ", pw);
        out.replace(pw + 9, (end == std::string::npos ? out.size() : end) - pw - 9, "***");
    }
    return out;
}

std::expected<DatabaseUrl, std::string> parseDatabaseUrl(std::string_view text) {
    DatabaseUrl u;
    if (text.starts_with("sqlite:")) {
        u.kind = DatabaseUrl::Kind::Sqlite;
        u.target = std::string(text.substr(7));
        if (u.target.starts_with("//")) u.target = u.target.substr(2);  // sqlite:///abs/path
        if (u.target.empty()) return std::unexpected("--database sqlite:PATH needs a file path");
        return u;
    }
    if (text.starts_with("postgresql://") || text.starts_with("postgres://")) {
        u.kind = DatabaseUrl::Kind::Postgresql;
        u.target = std::string(text);
        return u;
    }
    return std::unexpected("--database must be sqlite:PATH or postgresql://USER@HOST/DB (got '" +
                           std::string(text.substr(0, 40)) + "')");
}

Result<std::unique_ptr<BackendStorage>> openStorage(const DatabaseUrl& url,
                                                    const OpenOptions& options) {
    if (url.kind == DatabaseUrl::Kind::Sqlite) {
        auto s =
            SqliteStorage::open(url.target, options.readOnly, options.migrate && !options.readOnly);
        if (!s) return std::unexpected(s.error());
        return std::unique_ptr<BackendStorage>(std::move(*s));
    }
    auto p = PgStorage::open(url.target, options);
    if (!p) return std::unexpected(p.error());
    return std::unique_ptr<BackendStorage>(std::move(*p));
}

}  // namespace ksync::backend
