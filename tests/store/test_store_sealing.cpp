// Privacy at rest: content is sealed to the backend's key when a record is committed, and the
// kiosk's files (database, WAL, backups) then hold no title, body or contact in plain form.
#include <catch2/catch.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "keys/device_key.hpp"
#include "proto/payload_codec.hpp"
#include "store_helpers.hpp"
#include "test_support.hpp"

using namespace ksync;
using namespace storetest;

namespace {

std::string readAll(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Everything SQLite keeps next to the database: the file, its WAL and shared-memory index.
std::string databaseFiles(const std::filesystem::path& db) {
    std::string all;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        const std::filesystem::path p = db.string() + suffix;
        if (std::filesystem::exists(p)) all += readAll(p);
    }
    return all;
}

// Up to 24 bytes of `s` from `from`, moved to UTF-8 character boundaries.
std::string piece(const std::string& s, std::size_t from) {
    while (from < s.size() && (static_cast<unsigned char>(s[from]) & 0xC0) == 0x80) ++from;
    std::size_t to = std::min(s.size(), from + 24);
    while (to < s.size() && (static_cast<unsigned char>(s[to]) & 0xC0) == 0x80) ++to;
    return s.substr(from, to - from);
}

struct Needle {
    std::string what;
    std::string text;
};

// One draft per fixture, with a made-up contact, and the needles that must not be on disk.
std::vector<std::pair<record::ValidDraft, std::vector<Needle>>> fixtureDrafts() {
    std::vector<std::pair<record::ValidDraft, std::vector<Needle>>> out;
    const auto& fixtures = testsupport::seedFixtures();
    for (std::size_t i = 0; i < fixtures.size(); ++i) {
        const std::string label = "fixture " + std::to_string(i + 1);
        record::Draft d;
        d.type = i % 3 == 0 ? "SKGP" : "PAKN";
        d.category = "KHAC";
        d.body = fixtures[i].body;
        d.name = fixtures[i].sender.empty() ? "Trần Thị Mỹ Duyên" : fixtures[i].sender;
        d.phone = "09" + std::to_string(20000000 + 6133 * (i + 1));
        d.email = "congdan" + std::to_string(i + 1) + "@thudientu.vn";
        d.contactAddress = "Số " + std::to_string(12 + i) + " đường Trường Chinh";
        d.anonymous = false;
        d.consent = true;
        d.consentVersion = "2025-01";
        auto v = record::validateDraft(d);
        REQUIRE(v);
        std::vector<Needle> needles{{label + " title", v->content.title.substr(0, 40)},
                                    {label + " name", d.name},
                                    {label + " phone", d.phone},
                                    {label + " email", d.email},
                                    {label + " address", d.contactAddress}};
        const std::string& body = v->content.body;
        for (std::size_t at :
             {std::size_t{0}, body.size() / 2, body.size() > 30 ? body.size() - 30 : 0})
            needles.push_back({label + " body", piece(body, at)});
        out.emplace_back(std::move(*v), std::move(needles));
    }
    return out;
}

std::vector<std::string> foundIn(const std::string& bytes, const std::vector<Needle>& needles) {
    std::vector<std::string> found;
    for (const auto& n : needles)
        if (!n.text.empty() && bytes.find(n.text) != std::string::npos) found.push_back(n.what);
    return found;
}

}  // namespace

TEST_CASE(
    "with the backend key known, the 20 fixtures are sealed as they are committed and the files "
    "hold none of "
    "their text") {
    testsupport::TempDir tmp;
    const auto file = tmp / "kiosk.db";
    const auto backend = platform::keys::DeviceKey::generate();
    auto drafts = fixtureDrafts();
    std::vector<Needle> needles;
    std::vector<record::Record> made;
    {
        auto s = openStore(file);
        REQUIRE(s.setState(store::kStateBackendKey, backend.publicKeyBase64()));
        for (auto& [draft, n] : drafts) {
            made.push_back(create(s, draft));
            // The caller gets the plain content back: the receipt is made from it.
            CHECK(made.back().content.body == draft.content.body);
            CHECK_FALSE(made.back().sealed);
            needles.insert(needles.end(), n.begin(), n.end());
        }
        auto unsealed = s.unsealedCount();
        REQUIRE(unsealed);
        CHECK(*unsealed == 0);
        // Read back: header plain, content sealed and not readable here.
        auto back = s.findByCode(made[3].header.trackingCode);
        REQUIRE(back);
        REQUIRE(*back);
        CHECK((*back)->sealed);
        CHECK((*back)->header == made[3].header);
        CHECK((*back)->content.body.empty());
        auto report = s.verify();
        REQUIRE(report);
        CHECK(report->ok());
        // While the connection is open (WAL not yet checkpointed) the files hold no plaintext.
        const auto found = foundIn(databaseFiles(file), needles);
        for (const auto& f : found) FAIL_CHECK("in plain form on disk: " << f);
    }
    const auto found = foundIn(databaseFiles(file), needles);
    for (const auto& f : found) FAIL_CHECK("in plain form on disk after close: " << f);

    // Only the backend's key opens each payload, and it gives back the exact committed content.
    auto s = openStore(file);
    auto batch = s.claimBatch(100, 1 << 30, std::numeric_limits<std::int64_t>::max());
    REQUIRE(batch);
    REQUIRE(batch->size() == made.size());
    proto::PayloadCodec codec(proto::Dictionaries::shipped());
    const auto stranger = platform::keys::DeviceKey::generate();
    std::size_t sealedBytes = 0, plainBytes = 0;
    for (std::size_t i = 0; i < batch->size(); ++i) {
        const auto& item = (*batch)[i];
        INFO("record " << item.header.sequence);
        CHECK(item.contentFormat == "sealed:zstd-dict:v1");
        auto opened = codec.decode(item.contentFormat, item.content, &backend);
        REQUIRE(opened);
        CHECK(record::sha256Hex(*opened) == item.header.contentDigest);
        CHECK(record::decodeContent(*opened) == std::optional<record::Content>(made[i].content));
        CHECK(codec.decode(item.contentFormat, item.content, &stranger).error() ==
              "not_for_this_key");
        CHECK(codec.decode(item.contentFormat, item.content).error() == "sealed_payload");
        sealedBytes += item.content.size();
        plainBytes += opened->size();
    }
    std::cout << "sealing: " << made.size() << " fixture records (" << plainBytes
              << " bytes of content) stored as " << sealedBytes << " sealed bytes; "
              << needles.size()
              << " titles, names, phones, emails, addresses and body pieces searched in "
                 "kiosk.db/-wal/-shm: 0 found\n";
}

TEST_CASE(
    "records made before the kiosk knew the backend key are sealed once it does, leaving no plain "
    "page behind") {
    testsupport::TempDir tmp;
    const auto file = tmp / "kiosk.db";
    auto drafts = fixtureDrafts();
    std::vector<Needle> needles;
    auto s = openStore(file);
    for (std::size_t i = 0; i < 6; ++i) {
        auto r = create(s, drafts[i].first);
        CHECK_FALSE(r.sealed);
        needles.insert(needles.end(), drafts[i].second.begin(), drafts[i].second.end());
    }
    // No key: stored plain (and readable), and the test can see it on disk.
    auto plain = s.findBySeq(2);
    REQUIRE(plain);
    REQUIRE(*plain);
    CHECK_FALSE((*plain)->sealed);
    CHECK((*plain)->content.body == drafts[1].first.content.body);
    CHECK_FALSE(foundIn(databaseFiles(file), needles).empty());
    auto none = s.sealPlainRecords();
    REQUIRE(none);
    CHECK(*none == 0);
    CHECK(*s.unsealedCount() == 6);

    const auto backend = platform::keys::DeviceKey::generate();
    REQUIRE(s.setState(store::kStateBackendKey, backend.publicKeyBase64()));
    auto sealed = s.sealPlainRecords();
    REQUIRE(sealed);
    CHECK(*sealed == 6);
    CHECK(*s.unsealedCount() == 0);
    auto again = s.sealPlainRecords();
    REQUIRE(again);
    CHECK(*again == 0);
    auto report = s.verify();
    REQUIRE(report);
    CHECK(report->ok());
    const auto found = foundIn(databaseFiles(file), needles);
    for (const auto& f : found) FAIL_CHECK("still in plain form on disk: " << f);
    // The content survived sealing bit for bit.
    auto batch = s.claimBatch(100, 1 << 30, std::numeric_limits<std::int64_t>::max());
    REQUIRE(batch);
    REQUIRE(batch->size() == 6);
    proto::PayloadCodec codec(proto::Dictionaries::shipped());
    for (const auto& item : *batch) {
        auto opened = codec.decode(item.contentFormat, item.content, &backend);
        REQUIRE(opened);
        CHECK(record::sha256Hex(*opened) == item.header.contentDigest);
    }
}

TEST_CASE("a sealing key must be a valid Ed25519 public key") {
    CHECK_FALSE(platform::keys::SealingKey::fromPublicKeyBase64("not base64!"));
    CHECK_FALSE(
        platform::keys::SealingKey::fromPublicKeyBase64(platform::keys::base64Encode("short")));
    // 32 bytes that are not a point on the curve.
    CHECK_FALSE(platform::keys::SealingKey::fromPublicKeyBase64(
        platform::keys::base64Encode(std::string(32, '\xff'))));
    const auto k = platform::keys::DeviceKey::generate();
    auto sk = platform::keys::SealingKey::fromPublicKeyBase64(k.publicKeyBase64());
    REQUIRE(sk);
    const std::string box = sk->seal("Đường Lê Lợi ngập nước");
    CHECK(box.size() == std::string("Đường Lê Lợi ngập nước").size() +
                            platform::keys::SealingKey::kOverheadBytes);
    CHECK(k.openSealed(box) ==
          std::expected<std::string, platform::keys::OpenError>("Đường Lê Lợi ngập nước"));
    std::string altered = box;
    altered[altered.size() / 2] ^= 1;
    CHECK(k.openSealed(altered).error() == platform::keys::OpenError::NotForThisKey);
    CHECK(k.openSealed("").error() == platform::keys::OpenError::NotForThisKey);
}
