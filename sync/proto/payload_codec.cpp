#include "proto/payload_codec.hpp"

#include <zdict.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "proto/protocol.hpp"
#include "text/assets.hpp"

namespace ksync::proto {

// Names of the dictionaries that ship in assets/config (the embed has no directory listing).
constexpr std::string_view kShippedDictionaries[] = {"v1"};

struct Dictionaries::Entry {
    std::string raw;
    ZSTD_CDict* cdict = nullptr;
    ZSTD_DDict* ddict = nullptr;
    ~Entry() {
        ZSTD_freeCDict(cdict);
        ZSTD_freeDDict(ddict);
    }
};

Dictionaries::~Dictionaries() = default;

std::shared_ptr<const Dictionaries> Dictionaries::fromBytes(
    const std::map<std::string, std::string>& dicts) {
    std::shared_ptr<Dictionaries> d(new Dictionaries());
    for (const auto& [name, bytes] : dicts) {
        auto e = std::make_unique<Entry>();
        e->raw = bytes;
        e->cdict = ZSTD_createCDict(bytes.data(), bytes.size(), kCompressionLevel);
        e->ddict = ZSTD_createDDict(bytes.data(), bytes.size());
        if (e->cdict == nullptr || e->ddict == nullptr)
            throw std::runtime_error("damaged zstd dictionary " + name);
        d->m_entries.emplace(name, std::move(e));
    }
    return d;
}

namespace {
std::map<std::string, std::string> shippedBytes() {
    std::map<std::string, std::string> dicts;
    for (auto name : kShippedDictionaries) {
        auto bytes = platform::assets::embedded("config/zstd-dict-" + std::string(name) + ".bin");
        if (!bytes.empty()) dicts.emplace(std::string(name), std::string(bytes));
    }
    return dicts;
}
}  // namespace

std::shared_ptr<const Dictionaries> Dictionaries::shipped() {
    // Built once per process: a level-19 CDict takes milliseconds to prepare.
    static const std::shared_ptr<const Dictionaries> once = fromBytes(shippedBytes());
    return once;
}

std::shared_ptr<const Dictionaries> Dictionaries::shippedWith(
    const std::map<std::string, std::string>& extra) {
    if (extra.empty()) return shipped();
    auto all = shippedBytes();
    for (const auto& [name, bytes] : extra) all[name] = bytes;
    return fromBytes(all);
}

std::optional<std::string> Dictionaries::bytesOf(std::string_view name) const {
    auto it = m_entries.find(name);
    if (it == m_entries.end()) return std::nullopt;
    return it->second->raw;
}

bool isDictionaryName(std::string_view name) {
    if (name.empty() || name.size() > 32 || name.front() == '.') return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    return true;
}

std::expected<std::map<std::string, std::string>, std::string> readDictionaryDir(
    const std::string& dir) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec);
    if (ec) return std::unexpected(dir + ": " + ec.message());
    for (const auto& e : it) {
        const std::string file = e.path().filename().string();
        constexpr std::string_view prefix = "zstd-dict-", suffix = ".bin";
        if (!file.starts_with(prefix) || !file.ends_with(suffix)) continue;
        const std::string name =
            file.substr(prefix.size(), file.size() - prefix.size() - suffix.size());
        if (!isDictionaryName(name))
            return std::unexpected(file + ": not a dictionary name ([a-z0-9._-], at most 32)");
        std::ifstream in(e.path(), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in.good() && !in.eof()) return std::unexpected(file + ": cannot be read");
        if (ZDICT_getDictID(bytes.data(), bytes.size()) == 0)
            return std::unexpected(file + ": not a zstd dictionary");
        out.emplace(name, std::move(bytes));
    }
    return out;
}

bool PayloadCodec::hasDictionary(std::string_view name) const {
    return m_dicts->has(name);
}

bool Dictionaries::has(std::string_view name) const {
    return m_entries.find(name) != m_entries.end();
}

std::vector<std::string> Dictionaries::names() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : m_entries) out.push_back(k);
    return out;
}

struct PayloadCodec::Contexts {
    ZSTD_CCtx* c = ZSTD_createCCtx();
    ZSTD_DCtx* d = ZSTD_createDCtx();
    ~Contexts() {
        ZSTD_freeCCtx(c);
        ZSTD_freeDCtx(d);
    }
};

PayloadCodec::PayloadCodec(std::shared_ptr<const Dictionaries> dicts)
    : m_dicts(std::move(dicts)), m_ctx(std::make_unique<Contexts>()) {}
PayloadCodec::~PayloadCodec() = default;
PayloadCodec::PayloadCodec(PayloadCodec&&) noexcept = default;
PayloadCodec& PayloadCodec::operator=(PayloadCodec&&) noexcept = default;

PayloadCodec::Encoded PayloadCodec::encode(std::string_view content, std::string_view dictName) {
    Encoded out;
    out.bytes.resize(ZSTD_compressBound(content.size()));
    auto it = m_dicts->m_entries.find(dictName);
    std::size_t n = 0;
    if (!dictName.empty() && it != m_dicts->m_entries.end()) {
        n = ZSTD_compress_usingCDict(m_ctx->c, out.bytes.data(), out.bytes.size(), content.data(),
                                     content.size(), it->second->cdict);
        out.format = std::string(kFormatZstdDictPrefix) + std::string(dictName);
    } else {
        n = ZSTD_compressCCtx(m_ctx->c, out.bytes.data(), out.bytes.size(), content.data(),
                              content.size(), kCompressionLevel);
        out.format = std::string(kFormatZstd);
    }
    // Compression into a compressBound buffer cannot fail; a failure here is a broken invariant.
    if (ZSTD_isError(n)) throw std::logic_error(ZSTD_getErrorName(n));
    out.bytes.resize(n);
    return out;
}

PayloadCodec::Encoded PayloadCodec::encodeSealed(std::string_view content,
                                                 std::string_view dictName,
                                                 const platform::keys::SealingKey& to) {
    Encoded inner = encode(content, dictName);
    return Encoded{std::string(kFormatSealedPrefix) + inner.format, to.seal(inner.bytes)};
}

std::expected<std::string, std::string> PayloadCodec::decode(
    std::string_view format, std::string_view bytes, const platform::keys::DeviceKey* opener) {
    if (format.starts_with(kFormatSealedPrefix)) {
        const std::string_view inner = format.substr(kFormatSealedPrefix.size());
        if (inner.starts_with(kFormatSealedPrefix))
            return std::unexpected("unknown_payload_format");
        if (opener == nullptr) return std::unexpected("sealed_payload");
        auto opened = opener->openSealed(bytes);
        using platform::keys::OpenError;
        if (!opened)
            return std::unexpected(opened.error() == OpenError::BadKey ? "bad_key"
                                                                       : "not_for_this_key");
        return decode(inner, *opened, nullptr);
    }
    if (format == kFormatPlain) {
        if (bytes.size() > kMaxContentBytes) return std::unexpected("payload_too_large");
        return std::string(bytes);
    }
    const ZSTD_DDict* ddict = nullptr;
    if (format.starts_with(kFormatZstdDictPrefix)) {
        auto it = m_dicts->m_entries.find(format.substr(kFormatZstdDictPrefix.size()));
        if (it == m_dicts->m_entries.end()) return std::unexpected("unknown_dictionary");
        ddict = it->second->ddict;
    } else if (format != kFormatZstd) {
        return std::unexpected("unknown_payload_format");
    }
    const unsigned long long size = ZSTD_getFrameContentSize(bytes.data(), bytes.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
        return std::unexpected("bad_payload");
    if (size > kMaxContentBytes) return std::unexpected("payload_too_large");
    std::string out(static_cast<std::size_t>(size), '\0');
    const std::size_t n =
        ddict ? ZSTD_decompress_usingDDict(m_ctx->d, out.data(), out.size(), bytes.data(),
                                           bytes.size(), ddict)
              : ZSTD_decompressDCtx(m_ctx->d, out.data(), out.size(), bytes.data(), bytes.size());
    if (ZSTD_isError(n) || n != out.size()) return std::unexpected("bad_payload");
    return out;
}

std::string compressBody(std::string_view body) {
    // Level 6: within a millisecond for a 100-record batch, and most of level 19's gain on it.
    // With a checksum: damage is told apart from a body that is not JSON.
    std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> cctx(ZSTD_createCCtx(), &ZSTD_freeCCtx);
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, 6);
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
    std::string out(ZSTD_compressBound(body.size()), '\0');
    const std::size_t n =
        ZSTD_compress2(cctx.get(), out.data(), out.size(), body.data(), body.size());
    if (ZSTD_isError(n)) throw std::logic_error(ZSTD_getErrorName(n));
    out.resize(n);
    return out;
}

std::expected<std::string, std::string> decompressBody(std::string_view bytes,
                                                       std::size_t maxBytes) {
    const unsigned long long size = ZSTD_getFrameContentSize(bytes.data(), bytes.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN)
        return std::unexpected("bad_body_encoding");
    if (size > maxBytes) return std::unexpected("body_too_large");
    std::string out(static_cast<std::size_t>(size), '\0');
    const std::size_t n = ZSTD_decompress(out.data(), out.size(), bytes.data(), bytes.size());
    if (ZSTD_isError(n) || n != out.size()) return std::unexpected("bad_body_encoding");
    return out;
}

std::expected<std::string, std::string> trainDictionary(const std::vector<std::string>& samples,
                                                        std::size_t maxBytes) {
    std::string all;
    std::vector<std::size_t> sizes;
    for (const auto& s : samples) {
        all += s;
        sizes.push_back(s.size());
    }
    std::string dict(maxBytes, '\0');
    const std::size_t n = ZDICT_trainFromBuffer(dict.data(), dict.size(), all.data(), sizes.data(),
                                                static_cast<unsigned>(sizes.size()));
    if (ZDICT_isError(n)) return std::unexpected(std::string(ZDICT_getErrorName(n)));
    dict.resize(n);
    return dict;
}

}  // namespace ksync::proto
