#include "sqlite/sqlite.hpp"

#include <cerrno>

namespace ksync::sqlite {

Db::Db(const std::filesystem::path& file, Mode mode) {
    int flags = SQLITE_OPEN_NOMUTEX;  // one connection per thread
    switch (mode) {
        case Mode::ReadWriteCreate:
            flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
            break;
        case Mode::ReadWrite:
            flags |= SQLITE_OPEN_READWRITE;
            break;
        case Mode::ReadOnly:
            flags |= SQLITE_OPEN_READONLY;
            break;
    }
    const int rc = sqlite3_open_v2(file.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const int sysErrno = m_db ? sqlite3_system_errno(m_db) : errno;
        std::string msg = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close_v2(m_db);
        m_db = nullptr;
        throw SqliteError(rc & 0xFF, rc, sysErrno, "open: " + msg);
    }
    sqlite3_extended_result_codes(m_db, 1);
}

Db::~Db() {
    if (m_db) sqlite3_close_v2(m_db);
}

Db& Db::operator=(Db&& o) noexcept {
    if (this != &o) {
        if (m_db) sqlite3_close_v2(m_db);
        m_db = o.m_db;
        o.m_db = nullptr;
    }
    return *this;
}

void Db::fail(int rc, std::string_view what) const {
    throw SqliteError(rc & 0xFF, sqlite3_extended_errcode(m_db), sqlite3_system_errno(m_db),
                      std::string(what) + ": " + sqlite3_errmsg(m_db));
}

void Db::exec(std::string_view sql) {
    const std::string s(sql);
    const int rc = sqlite3_exec(m_db, s.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(rc, "exec");
}

Stmt::Stmt(const Db& db, std::string_view sql) : m_db(db) {
    const int rc =
        sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr);
    if (rc != SQLITE_OK) db.fail(rc, "prepare");
}

Stmt::~Stmt() {
    sqlite3_finalize(m_stmt);
}

Stmt& Stmt::bind(int i, std::int64_t v) {
    if (const int rc = sqlite3_bind_int64(m_stmt, i, v); rc != SQLITE_OK) m_db.fail(rc, "bind");
    return *this;
}

Stmt& Stmt::bind(int i, std::string_view text) {
    const int rc =
        sqlite3_bind_text64(m_stmt, i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) m_db.fail(rc, "bind");
    return *this;
}

Stmt& Stmt::bindBlob(int i, std::string_view bytes) {
    const int rc = sqlite3_bind_blob64(m_stmt, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) m_db.fail(rc, "bind");
    return *this;
}

Stmt& Stmt::bindNull(int i) {
    if (const int rc = sqlite3_bind_null(m_stmt, i); rc != SQLITE_OK) m_db.fail(rc, "bind");
    return *this;
}

bool Stmt::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(m_stmt);
    m_db.fail(rc, "step");
}

void Stmt::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::string Stmt::text(int col) const {
    const auto* p = sqlite3_column_text(m_stmt, col);
    const int n = sqlite3_column_bytes(m_stmt, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n))
             : std::string{};
}

std::string Stmt::blob(int col) const {
    const void* p = sqlite3_column_blob(m_stmt, col);
    const int n = sqlite3_column_bytes(m_stmt, col);
    return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string{};
}

Transaction::Transaction(Db& db) : m_db(db) {
    m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (!m_done) sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    m_db.exec("COMMIT");
    m_done = true;
}

}  // namespace ksync::sqlite
