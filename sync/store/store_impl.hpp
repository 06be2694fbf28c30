#pragma once
// Private to sync/store: the Store's connection and the helpers its .cpp files share.
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>

#include "proto/payload_codec.hpp"
#include "sqlite/sqlite.hpp"
#include "store/store.hpp"

namespace ksync::store {

// The SQLite wrapper (sync/sqlite) names, as this module uses them everywhere.
using sqlite::Db;
using sqlite::SqliteError;
using sqlite::Stmt;
using sqlite::Transaction;

struct Store::Impl {
    Db db;
    int schemaVersion = 0;
    std::optional<proto::PayloadCodec> codec;  // made on first use (sealing)
    // The codec with the shipped dictionaries and those in payload_dictionaries. When `wanted`
    // (the config's dictionary) is missing, the table is read again: another connection (a USB
    // import) may have installed it since.
    proto::PayloadCodec& payloadCodec(std::string_view wanted = {});
    void forgetCodec() { codec.reset(); }
};

StoreError classify(const SqliteError& e);

// A decimal number as the store writes it (std::to_string); nullopt for anything else (empty,
// sign, spaces, trailing bytes, out of range). Never throws: a value read back from the file may
// have been damaged or written by hand.
inline std::optional<std::uint64_t> parseStoredU64(std::string_view text) {
    std::uint64_t v = 0;
    const char* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc{} || p != end || text.empty()) return std::nullopt;
    return v;
}

// Runs `f` and turns an exception into a StoreError value: the one place where the store's
// internal exceptions become the values its callers see. A SqliteError is classified by its
// code; any other std::exception (out of memory, a library that throws) becomes ErrorKind::Io,
// with the exception's type but not its message in `detail` (a message could quote data).
template <class T>
struct AsResult {
    using type = Result<T>;
};
template <class T>
struct AsResult<Result<T>> {
    using type = Result<T>;
};

template <class F>
auto guarded(F&& f) -> typename AsResult<std::invoke_result_t<F>>::type {
    try {
        if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
            f();
            return {};
        } else {
            return f();
        }
    } catch (const SqliteError& e) {
        return std::unexpected(classify(e));
    } catch (const std::bad_alloc&) {
        return std::unexpected(StoreError{ErrorKind::Io, "out of memory"});
    } catch (const std::exception& e) {
        return std::unexpected(
            StoreError{ErrorKind::Io, std::string("unexpected exception ") + typeid(e).name()});
    }
}

// An outbox row with its record: SELECT kOutboxColumns FROM outbox o JOIN records r ..., read
// by readOutboxItem.
OutboxItem readOutboxItem(const Stmt& s);

// Adds a status event (idempotent) and moves the latest status forward if it is newer, inside
// the caller's transaction. True when the event was new.
bool insertStatus(Db& db, const StatusUpdate& u);

// Reads the header columns selected by kHeaderColumns starting at column `first`.
record::Header readHeader(const Stmt& s, int first);
inline constexpr std::string_view kHeaderColumns =
    "r.seq, r.id, r.tracking_code, r.kiosk_id, r.type, r.category, r.channel, r.staff_assisted, "
    "r.language, "
    "r.created_at, r.clock_synced, r.content_digest, r.prev_hash, r.hash";
inline constexpr int kHeaderColumnCount = 14;
inline const std::string kOutboxColumns =
    std::string(kHeaderColumns) + ", r.content_format, r.content, o.attempts";

}  // namespace ksync::store
