#pragma once
// Per-record payload encoding: each record's canonical content bytes become their own blob,
// compressed with zstd and, when both sides have it, a dictionary trained on real submissions
// (assets/config/zstd-dict-<name>.bin, named by the config's "payload_dictionary"). Because
// every record is its own blob, each one is sealed to the backend's key on its own (libsodium
// sealed box over the compressed bytes) when the kiosk commits it: only the format string says so.
//
// Formats: "plain" (the canonical bytes), "zstd" (no dictionary), "zstd-dict:<name>", and
// "sealed:<inner>" — a sealed box whose plaintext is the payload in format <inner>.
//
// Thread-safety: a Dictionaries set is immutable and may be shared by any number of threads.
// A PayloadCodec owns zstd contexts: one codec per thread.
// Errors: decode() returns a short reason code (English, no personal data).
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keys/device_key.hpp"

namespace ksync::proto {

inline constexpr std::string_view kFormatPlain = "plain";
inline constexpr std::string_view kFormatZstd = "zstd";
inline constexpr std::string_view kFormatZstdDictPrefix = "zstd-dict:";
inline constexpr std::string_view kFormatSealedPrefix = "sealed:";
inline constexpr int kCompressionLevel = 19;

class Dictionaries {
public:
    // The dictionaries compiled into the program (assets/config/zstd-dict-*.bin).
    static std::shared_ptr<const Dictionaries> shipped();
    // Builds a set from (name, bytes) pairs; throws std::runtime_error on a damaged dictionary.
    static std::shared_ptr<const Dictionaries> fromBytes(
        const std::map<std::string, std::string>& dicts);
    // The shipped set plus `extra` (a dictionary trained later, installed from a return bundle or
    // read by the backend from --dictionary-dir); an extra one replaces a shipped one of its
    // name. Throws std::runtime_error on a damaged dictionary.
    static std::shared_ptr<const Dictionaries> shippedWith(
        const std::map<std::string, std::string>& extra);
    ~Dictionaries();
    Dictionaries(const Dictionaries&) = delete;
    Dictionaries& operator=(const Dictionaries&) = delete;

    bool has(std::string_view name) const;
    std::vector<std::string> names() const;
    // The raw bytes of dictionary `name` (to send to a kiosk that lacks it); nullopt if absent.
    std::optional<std::string> bytesOf(std::string_view name) const;

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
    // encode, then a sealed box to `to`: format "sealed:" + the inner format.
    Encoded encodeSealed(std::string_view content, std::string_view dictName,
                         const platform::keys::SealingKey& to);
    // Inverse of encode / encodeSealed; refuses output larger than kMaxContentBytes. A sealed
    // payload needs `opener` (the backend's key): without it "sealed_payload", with the wrong
    // one "not_for_this_key".
    std::expected<std::string, std::string> decode(
        std::string_view format, std::string_view bytes,
        const platform::keys::DeviceKey* opener = nullptr);
    bool hasDictionary(std::string_view name) const;

private:
    std::shared_ptr<const Dictionaries> m_dicts;
    struct Contexts;
    std::unique_ptr<Contexts> m_ctx;
};

// Whole request bodies (record batches) travel zstd-compressed when the backend's health reply
// lists "zstd" in "accept_encoding": header `Content-Encoding: zstd`; the signature covers the
// bytes on the wire. The headers of 100 records repeat field names, ids and hashes' hex
// alphabet: they shrink ~3x, and base64 of sealed payloads back to ~6 bits a character.
inline constexpr std::string_view kBodyEncodingZstd = "zstd";
std::string compressBody(std::string_view body);
// Refuses a frame without a declared size or one that declares more than `maxBytes`
// ("body_too_large"), and damage ("bad_body_encoding").
std::expected<std::string, std::string> decompressBody(std::string_view bytes,
                                                       std::size_t maxBytes);

// A dictionary name as configs, formats and file names carry it: 1 to 32 of [a-z0-9._-], not
// starting with a dot.
bool isDictionaryName(std::string_view name);
// Reads every "zstd-dict-<name>.bin" in `dir` (name as above). The error names the file that
// could not be read or is not a zstd dictionary.
std::expected<std::map<std::string, std::string>, std::string> readDictionaryDir(
    const std::string& dir);

// Trains a dictionary of at most `maxBytes` on `samples` (ZDICT); the error is zstd's message.
std::expected<std::string, std::string> trainDictionary(const std::vector<std::string>& samples,
                                                        std::size_t maxBytes);

}  // namespace ksync::proto
