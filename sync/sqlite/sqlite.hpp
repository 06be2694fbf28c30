#pragma once
// A thin RAII layer over the SQLite C API, shared by the kiosk store (sync/store) and the
// backend's SQLite storage (backend/storage). Its own small library: sync_sqlite.
//
// Thread-safety: a Db (one connection) and its statements belong to one thread at a time.
// Two threads (the UI and the sync worker) each open their own Db on the same file; WAL mode
// and the busy timeout let them work side by side.
//
// Errors: functions here throw SqliteError (carrying the SQLite result code); the Store
// catches them at its public boundary and returns StoreError values instead.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ksync::sqlite {

class SqliteError : public std::runtime_error {
public:
    SqliteError(int code, int extended, int sysErrno, const std::string& what)
        : std::runtime_error(what), m_code(code), m_extended(extended), m_errno(sysErrno) {}
    int code() const { return m_code; }
    int extended() const { return m_extended; }
    int sysErrno() const { return m_errno; }

private:
    int m_code;
    int m_extended;
    int m_errno;
};

class Db {
public:
    enum class Mode { ReadWriteCreate, ReadWrite, ReadOnly };
    Db() = default;
    Db(const std::filesystem::path& file, Mode mode);  // throws SqliteError
    ~Db();
    Db(Db&& o) noexcept : m_db(o.m_db) { o.m_db = nullptr; }
    Db& operator=(Db&& o) noexcept;
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    sqlite3* handle() const { return m_db; }
    void exec(std::string_view sql);  // throws SqliteError
    [[noreturn]] void fail(int rc, std::string_view what) const;
    std::int64_t changes() const { return sqlite3_changes64(m_db); }

private:
    sqlite3* m_db = nullptr;
};

class Stmt {
public:
    Stmt(const Db& db, std::string_view sql);  // throws SqliteError
    ~Stmt();
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& bind(int i, std::int64_t v);
    Stmt& bind(int i, std::string_view text);
    Stmt& bindBlob(int i, std::string_view bytes);
    Stmt& bindNull(int i);
    Stmt& bindOptional(int i, const std::optional<std::string>& v) {
        return v ? bind(i, std::string_view(*v)) : bindNull(i);
    }

    bool step();  // true: a row is ready; false: done. Throws SqliteError.
    void run() {
        while (step()) {
        }
    }
    void reset();

    std::int64_t int64(int col) const { return sqlite3_column_int64(m_stmt, col); }
    std::string text(int col) const;
    std::string blob(int col) const;
    bool isNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }

private:
    const Db& m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

// BEGIN IMMEDIATE (takes the write lock up front, so two writers queue on the busy timeout
// instead of failing half-way) ... COMMIT; rolls back in the destructor unless committed.
class Transaction {
public:
    explicit Transaction(Db& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Db& m_db;
    bool m_done = false;
};

}  // namespace ksync::sqlite
