// USB bundles: the container and the two bodies. See bundle.hpp for the format.
#include "proto/bundle.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>

#include "proto/payload_codec.hpp"
#include "record/record.hpp"

namespace ksync::proto {

using json = nlohmann::json;

namespace {

constexpr std::string_view kSignaturePrefix = "\nsig:";
constexpr std::string_view kSigningPrefix = "KSYNC1-BUNDLE\n";

std::string headerLine(const BundleHeader& h) {
    json j = {{"format", h.format},
              {"kind", bundleKindCode(h.kind)},
              {"kiosk_id", h.kioskId},
              {"bundle_id", h.bundleId},
              {"created_at_ms", h.createdAtMs},
              {"body_bytes", h.bodyBytes},
              {"plain_bytes", h.plainBytes},
              {"body_sha256", h.bodySha256}};
    return j.dump();
}

// The header's fields, their types checked. Format first: a newer format may change the rest.
std::expected<BundleHeader, BundleError> parseHeader(std::string_view line, int maxFormat) {
    auto j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return bundleRefused(BundleRefusal::NotABundle, "header is not a JSON object");
    BundleHeader h;
    auto format = j.find("format");
    if (format == j.end() || !format->is_number_integer())
        return bundleRefused(BundleRefusal::NotABundle, "header without format");
    h.format = format->get<int>();
    if (h.format > maxFormat)
        return bundleRefused(BundleRefusal::NewerFormat,
                             "bundle format " + std::to_string(h.format) + ", this build reads " +
                                 std::to_string(maxFormat));
    if (h.format < 1) return bundleRefused(BundleRefusal::NotABundle, "bad format");
    auto text = [&](const char* key, std::string& out) {
        auto it = j.find(key);
        if (it == j.end() || !it->is_string()) return false;
        out = it->get<std::string>();
        return true;
    };
    auto count = [&](const char* key, std::uint64_t& out) {
        auto it = j.find(key);
        if (it == j.end() || !it->is_number_unsigned()) return false;
        out = it->get<std::uint64_t>();
        return true;
    };
    std::string kind;
    std::uint64_t created = 0;
    if (!text("kind", kind) || !text("kiosk_id", h.kioskId) || !text("bundle_id", h.bundleId) ||
        !count("created_at_ms", created) || !count("body_bytes", h.bodyBytes) ||
        !count("plain_bytes", h.plainBytes) || !text("body_sha256", h.bodySha256))
        return bundleRefused(BundleRefusal::NotABundle,
                             "header field missing or of the wrong type");
    if (kind == "to_city")
        h.kind = BundleKind::ToCity;
    else if (kind == "to_kiosk")
        h.kind = BundleKind::ToKiosk;
    else
        return bundleRefused(BundleRefusal::NotABundle, "unknown bundle kind");
    h.createdAtMs = static_cast<std::int64_t>(created);
    return h;
}

struct Layout {
    BundleHeader header;
    std::string_view headerLine;
    std::string_view body;
    std::string_view signature;  // base64
};

std::expected<Layout, BundleError> layout(std::string_view file, int maxFormat) {
    if (file.size() < kBundleMagic.size()) {
        if (kBundleMagic.starts_with(file) && !file.empty())
            return bundleRefused(BundleRefusal::Truncated, "shorter than the magic");
        return bundleRefused(BundleRefusal::NotABundle, "no bundle magic");
    }
    if (!file.starts_with(kBundleMagic))
        return bundleRefused(BundleRefusal::NotABundle, "no bundle magic");
    std::string_view rest = file.substr(kBundleMagic.size());
    const auto eol = rest.substr(0, kMaxBundleHeaderBytes + 1).find('\n');
    if (eol == std::string_view::npos) {
        if (rest.size() <= kMaxBundleHeaderBytes)
            return bundleRefused(BundleRefusal::Truncated, "header cut off");
        return bundleRefused(BundleRefusal::NotABundle, "header too long");
    }
    Layout l;
    l.headerLine = rest.substr(0, eol);
    auto h = parseHeader(l.headerLine, maxFormat);
    if (!h) return std::unexpected(h.error());
    l.header = std::move(*h);
    rest = rest.substr(eol + 1);
    // The signature trailer is "\nsig:" + 88 base64 characters + "\n".
    constexpr std::size_t kSigChars = 88;
    const std::uint64_t expected = l.header.bodyBytes + kSignaturePrefix.size() + kSigChars + 1;
    if (rest.size() != expected)
        return bundleRefused(BundleRefusal::Truncated, "file is " + std::to_string(rest.size()) +
                                                           " bytes after the header, " +
                                                           "the header says " +
                                                           std::to_string(expected));
    l.body = rest.substr(0, l.header.bodyBytes);
    std::string_view trailer = rest.substr(l.header.bodyBytes);
    if (!trailer.starts_with(kSignaturePrefix) || trailer.back() != '\n')
        return bundleRefused(BundleRefusal::Tampered, "signature trailer damaged");
    l.signature = trailer.substr(kSignaturePrefix.size(), kSigChars);
    return l;
}

}  // namespace

std::string_view bundleKindCode(BundleKind k) {
    return k == BundleKind::ToCity ? "to_city" : "to_kiosk";
}

std::string_view bundleRefusalCode(BundleRefusal r) {
    switch (r) {
        case BundleRefusal::NotABundle:
            return "not_a_bundle";
        case BundleRefusal::NewerFormat:
            return "newer_format";
        case BundleRefusal::Truncated:
            return "truncated";
        case BundleRefusal::Tampered:
            return "tampered";
        case BundleRefusal::TooLarge:
            return "too_large";
        case BundleRefusal::BadBody:
            return "bad_body";
        case BundleRefusal::WrongKind:
            return "wrong_kind";
        case BundleRefusal::UnknownKiosk:
            return "unknown_kiosk";
        case BundleRefusal::OtherKiosk:
            return "other_kiosk";
        case BundleRefusal::Replayed:
            return "replayed";
        case BundleRefusal::NotEnrolled:
            return "not_enrolled";
        case BundleRefusal::Io:
            return "io";
    }
    return "io";
}

std::string bundleSigningString(std::string_view line) {
    std::string s(kSigningPrefix);
    s += line;
    return s;
}

std::string sealBundle(BundleKind kind, const std::string& kioskId, std::int64_t createdAtMs,
                       const std::string& bodyJson, const platform::keys::DeviceKey& key,
                       int format) {
    BundleHeader h;
    h.format = format;
    h.kind = kind;
    h.kioskId = kioskId;
    h.bundleId = newNonce();
    h.createdAtMs = createdAtMs;
    const std::string body = compressBody(bodyJson);
    h.bodyBytes = body.size();
    h.plainBytes = bodyJson.size();
    h.bodySha256 = record::sha256Hex(body);
    const std::string line = headerLine(h);
    std::string out;
    out.reserve(kBundleMagic.size() + line.size() + body.size() + 100);
    out += kBundleMagic;
    out += line;
    out += '\n';
    out += body;
    out += kSignaturePrefix;
    out += key.signBase64(bundleSigningString(line));
    out += '\n';
    return out;
}

std::expected<BundleHeader, BundleError> peekBundleHeader(std::string_view file, int maxFormat) {
    auto l = layout(file, maxFormat);
    if (!l) return std::unexpected(l.error());
    return l->header;
}

std::expected<std::string, BundleError> openBundle(std::string_view file, std::string_view signer,
                                                   BundleHeader* header, int maxFormat) {
    auto l = layout(file, maxFormat);
    if (!l) return std::unexpected(l.error());
    if (!platform::keys::DeviceKey::verifyBase64(signer, bundleSigningString(l->headerLine),
                                                 l->signature))
        return bundleRefused(BundleRefusal::Tampered, "signature does not verify");
    if (record::sha256Hex(l->body) != l->header.bodySha256)
        return bundleRefused(BundleRefusal::Tampered, "body hash differs");
    // Signed, but a signer (a stolen kiosk key) could still have packed a bomb: the declared
    // size is capped and the frame must not expand past it.
    if (l->header.plainBytes > kMaxBundlePlainBytes)
        return bundleRefused(BundleRefusal::TooLarge,
                             "declares " + std::to_string(l->header.plainBytes) + " bytes");
    auto plain = decompressBody(l->body, static_cast<std::size_t>(l->header.plainBytes));
    if (!plain) {
        if (plain.error() == "body_too_large")
            return bundleRefused(BundleRefusal::TooLarge, "frame expands past its declared size");
        return bundleRefused(BundleRefusal::TooLarge, "frame does not decode to its declared size");
    }
    if (header) *header = l->header;
    return std::move(*plain);
}

// ---- bodies ---------------------------------------------------------------------------------

json CityBundle::toJson() const {
    json asked = json::array();
    for (const auto& c : askedCodes) asked.push_back(c);
    json j = {{"protocol", kProtocolVersion},
              {"kiosk_id", kioskId},
              {"created_at", createdAt},
              {"manifest",
               {{"records", manifest.records},
                {"first_sequence", manifest.firstSequence},
                {"last_sequence", manifest.lastSequence},
                {"app_version", manifest.appVersion}}},
              {"upload", upload.toJson()},
              {"heartbeat", heartbeat.toJson()},
              {"status_cursor", statusCursor},
              {"config_version", configVersion},
              {"asked_codes", std::move(asked)}};
    if (dictionaries) j["dictionaries"] = *dictionaries;
    return j;
}

namespace {
bool readText(const json& j, const char* key, std::string& out) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return false;
    out = it->get<std::string>();
    return true;
}
bool readCount(const json& j, const char* key, std::uint64_t& out) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_unsigned()) return false;
    out = it->get<std::uint64_t>();
    return true;
}
std::unexpected<std::string> bad(const char* field) {
    return std::unexpected(std::string("bad_field:") + field);
}
}  // namespace

std::expected<CityBundle, std::string> CityBundle::fromJson(const json& j,
                                                            ReceivedUpload* records) {
    if (!j.is_object()) return std::unexpected(std::string("not_object"));
    CityBundle b;
    if (!readText(j, "kiosk_id", b.kioskId)) return bad("kiosk_id");
    if (!readText(j, "created_at", b.createdAt)) return bad("created_at");
    auto m = j.find("manifest");
    if (m == j.end() || !m->is_object()) return bad("manifest");
    if (!readCount(*m, "records", b.manifest.records) ||
        !readCount(*m, "first_sequence", b.manifest.firstSequence) ||
        !readCount(*m, "last_sequence", b.manifest.lastSequence))
        return bad("manifest");
    readText(*m, "app_version", b.manifest.appVersion);
    auto up = j.find("upload");
    if (up == j.end()) return bad("upload");
    auto received = RecordsUploadRequest::fromJson(*up, std::numeric_limits<std::size_t>::max());
    if (!received) return std::unexpected("upload." + received.error());
    if (received->items.size() != b.manifest.records)
        return std::unexpected(std::string("manifest_mismatch"));
    b.upload.kioskId = received->kioskId;
    if (records) *records = std::move(*received);
    if (auto hb = j.find("heartbeat"); hb != j.end()) {
        auto parsed = HeartbeatRequest::fromJson(*hb);
        if (!parsed) return bad("heartbeat");
        b.heartbeat = *parsed;
    }
    if (!readText(j, "status_cursor", b.statusCursor)) return bad("status_cursor");
    readText(j, "config_version", b.configVersion);
    if (auto asked = j.find("asked_codes"); asked != j.end()) {
        if (!asked->is_array()) return bad("asked_codes");
        for (const auto& c : *asked) {
            if (!c.is_string()) return bad("asked_codes");
            b.askedCodes.push_back(c.get<std::string>());
        }
    }
    if (auto d = j.find("dictionaries"); d != j.end()) {
        if (!d->is_array()) return bad("dictionaries");
        std::vector<std::string> names;
        for (const auto& n : *d) {
            if (!n.is_string()) return bad("dictionaries");
            names.push_back(n.get<std::string>());
        }
        b.dictionaries = std::move(names);
    }
    return b;
}

json KioskBundle::toJson() const {
    json refs = json::array();
    for (const auto& r : records) refs.push_back({{"sequence", r.sequence}, {"id", r.id}});
    StatusReply askedReply;
    askedReply.updates = asked;
    json j = {{"protocol", kProtocolVersion}, {"kiosk_id", kioskId},
              {"in_reply_to", inReplyTo},     {"issued_at_ms", issuedAtMs},
              {"records", std::move(refs)},   {"upload", upload.toJson()},
              {"status", status.toJson()},    {"asked", askedReply.toJson()}};
    if (config)
        j["config"] = {
            {"version", config->version}, {"etag", config->etag}, {"document", config->document}};
    if (dictionary)
        j["dictionary"] = {{"name", dictionary->name},
                           {"bytes_b64", platform::keys::base64Encode(dictionary->bytes)}};
    return j;
}

std::expected<KioskBundle, std::string> KioskBundle::fromJson(const json& j) {
    if (!j.is_object()) return std::unexpected(std::string("not_object"));
    KioskBundle b;
    if (!readText(j, "kiosk_id", b.kioskId)) return bad("kiosk_id");
    if (!readText(j, "in_reply_to", b.inReplyTo)) return bad("in_reply_to");
    std::uint64_t issued = 0;
    if (!readCount(j, "issued_at_ms", issued)) return bad("issued_at_ms");
    b.issuedAtMs = static_cast<std::int64_t>(issued);
    auto refs = j.find("records");
    if (refs == j.end() || !refs->is_array()) return bad("records");
    for (const auto& r : *refs) {
        BundleRecordRef ref;
        if (!r.is_object() || !readCount(r, "sequence", ref.sequence) || !readText(r, "id", ref.id))
            return bad("records");
        b.records.push_back(std::move(ref));
    }
    auto up = j.find("upload");
    if (up == j.end()) return bad("upload");
    auto upload = RecordsUploadReply::fromJson(*up);
    if (!upload) return std::unexpected("upload." + upload.error());
    b.upload = std::move(*upload);
    auto st = j.find("status");
    if (st == j.end()) return bad("status");
    auto status = StatusReply::fromJson(*st);
    if (!status) return std::unexpected("status." + status.error());
    b.status = std::move(*status);
    if (auto a = j.find("asked"); a != j.end()) {
        auto asked = StatusReply::fromJson(*a);
        if (!asked) return std::unexpected("asked." + asked.error());
        b.asked = std::move(asked->updates);
    }
    if (auto c = j.find("config"); c != j.end() && !c->is_null()) {
        BundleConfig cfg;
        if (!c->is_object() || !readText(*c, "version", cfg.version) ||
            !readText(*c, "etag", cfg.etag) || !readText(*c, "document", cfg.document))
            return bad("config");
        b.config = std::move(cfg);
    }
    if (auto d = j.find("dictionary"); d != j.end() && !d->is_null()) {
        BundleDictionary dict;
        std::string b64;
        if (!d->is_object() || !readText(*d, "name", dict.name) ||
            !readText(*d, "bytes_b64", b64) || !isDictionaryName(dict.name))
            return bad("dictionary");
        auto raw = platform::keys::base64Decode(b64);
        if (!raw || raw->empty()) return bad("dictionary");
        dict.bytes = std::move(*raw);
        b.dictionary = std::move(dict);
    }
    return b;
}

// ---- files ------------------------------------------------------------------------------------

std::string bundleFileName(BundleKind kind, const std::string& kioskId, std::int64_t createdAtMs) {
    const std::time_t t = static_cast<std::time_t>(createdAtMs / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
    char millis[8];
    std::snprintf(millis, sizeof millis, "%03dZ",
                  static_cast<int>(((createdAtMs % 1000) + 1000) % 1000));
    return kioskId + "-" + stamp + millis +
           (kind == BundleKind::ToCity ? ".to-city" : ".to-kiosk") + std::string(kBundleExtension);
}

std::expected<std::string, BundleError> writeFileAtomically(const std::string& dir,
                                                            const std::string& name,
                                                            std::string_view bytes) {
    namespace fs = std::filesystem;
    const fs::path target = fs::path(dir) / name;
    std::error_code ec;
    if (fs::exists(target, ec))
        return bundleRefused(BundleRefusal::Io, "exists: " + target.string());
    std::string tmpl = (fs::path(dir) / ("." + name + ".XXXXXX.tmp")).string();
    const int fd = mkstemps(tmpl.data(), 4);
    if (fd < 0)
        return bundleRefused(BundleRefusal::Io,
                             "cannot create a file in " + dir + ": " + std::strerror(errno));
    auto fail = [&](const std::string& what) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmpl.c_str());
        return bundleRefused(BundleRefusal::Io, what + ": " + std::strerror(err));
    };
    std::size_t off = 0;
    while (off < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + off, bytes.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail("write");
        }
        off += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) return fail("fsync");
    if (::close(fd) != 0) {
        ::unlink(tmpl.c_str());
        return bundleRefused(BundleRefusal::Io, std::string("close: ") + std::strerror(errno));
    }
    // link() refuses an existing name (two exports in the same second never overwrite). A FAT
    // stick has no hard links: there rename() puts it in place (the name was checked above).
    if (::link(tmpl.c_str(), target.c_str()) == 0) {
        ::unlink(tmpl.c_str());
    } else if (errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP || errno == EMLINK) {
        if (::rename(tmpl.c_str(), target.c_str()) != 0) {
            const int err = errno;
            ::unlink(tmpl.c_str());
            return bundleRefused(BundleRefusal::Io, "cannot put the bundle in place: " +
                                                        std::string(std::strerror(err)));
        }
    } else {
        const int err = errno;
        ::unlink(tmpl.c_str());
        return bundleRefused(BundleRefusal::Io,
                             "cannot put the bundle in place: " + std::string(std::strerror(err)));
    }
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return target.string();
}

std::expected<std::string, BundleError> readWholeFile(const std::string& path,
                                                      std::size_t maxBytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return bundleRefused(BundleRefusal::Io, "cannot open " + path);
    std::string out;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        out.append(buf, static_cast<std::size_t>(in.gcount()));
        if (out.size() > maxBytes)
            return bundleRefused(BundleRefusal::TooLarge,
                                 "file larger than " + std::to_string(maxBytes));
    }
    if (in.bad()) return bundleRefused(BundleRefusal::Io, "read error on " + path);
    return out;
}

}  // namespace ksync::proto
