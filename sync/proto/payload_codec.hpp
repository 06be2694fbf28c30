#pragma once
// Per-record payload encoding: each record's canonical content bytes become their own blob,
// compressed with zstd and, when both sides have it, a dictionary trained on real submissions
// (assets/config/zstd-dict-<name>.bin, named by the config's "payload_dictionary"). Because
// every record is its own blob, sealing each one to the backend's key later (libsodium sealed
// box over the compressed bytes) changes only the format string, not the protocol.
//
// Formats: "plain" (the canonical bytes), "zstd" (no dictionary), "zstd-dict:<name>".
//
// Thread-safety: a Dictionaries set is immutable and may be shared by any number of threads.
// A PayloadCodec owns zstd contexts: one codec per thread.
// Errors: decode() returns a short reason code (English, no personal data).
#include <expected>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ksync::proto {

inline constexpr std::string_view kFormatPlain = "plain";
inline constexpr std::string_view kFormatZstd = "zstd";
inline constexpr std::string_view kFormatZstdDictPrefix = "zstd-dict:";
inline constexpr int kCompressionLevel = 19;

class Dictionaries {
public:
    // The dictionaries compiled into the program (assets/config/zstd-dict-*.bin).
    static std::shared_ptr<const Dictionaries> shipped();
    // Builds a set from (name, bytes) pairs; throws std::runtime_error on a damaged dictionary.
    static std::shared_ptr<const Dictionaries> fromBytes(const std::map<std::string, std::string>& dicts);
    ~Dictionaries();
    Dictionaries(const Dictionaries&) = delete;
    Dictionaries& operator=(const Dictionaries&) = delete;

    bool has(std::string_view name) const;
    std::vector<std::string> names() const;

    struct Entry;

private:
    Dictionaries() = default;
    std::map<std::string, std::unique_ptr<Entry>, std::less<>> m_entries;
    friend class PayloadCodec;
};

class PayloadCodec {
public:
    explicit PayloadCodec(std::shared_ptr<const Dictionaries> dicts);
    ~PayloadCodec();
    PayloadCodec(const PayloadCodec&) = delete;
    PayloadCodec& operator=(const PayloadCodec&) = delete;
    PayloadCodec(PayloadCodec&&) noexcept;
    PayloadCodec& operator=(PayloadCodec&&) noexcept;

    struct Encoded {
        std::string format;
        std::string bytes;
    };
    // Compresses with dictionary `dictName` when this side has it, else plain zstd.
    Encoded encode(std::string_view content, std::string_view dictName);
    // Inverse of encode for every format above; refuses output larger than kMaxContentBytes.
    std::expected<std::string, std::string> decode(std::string_view format, std::string_view bytes);

private:
    std::shared_ptr<const Dictionaries> m_dicts;
    struct Contexts;
    std::unique_ptr<Contexts> m_ctx;
};

// Trains a dictionary of at most `maxBytes` on `samples` (ZDICT); the error is zstd's message.
std::expected<std::string, std::string> trainDictionary(const std::vector<std::string>& samples, std::size_t maxBytes);

}  // namespace ksync::proto
