#include <catch2/catch.hpp>

#include "record/record.hpp"
#include "test_support.hpp"

using namespace ksync::record;

namespace {

Record sampleRecord() {
    Record r;
    r.header.id = newUuid();
    r.header.kioskId = "7K3M";
    r.header.sequence = 5;
    r.header.trackingCode = makeTrackingCode(RecordType::Pakn, "7K3M", 5);
    r.header.category = "MOI_TRUONG";
    r.header.createdAt = "2026-11-23T04:05:06.789Z";
    r.header.prevHash = std::string(kGenesisHash);
    r.content.salt = newSaltHex();
    r.content.title = "Ngập nước đường Nguyễn Trãi";
    r.content.body = "Đường Nguyễn Trãi ngập nước mỗi khi mưa lớn.\nĐề nghị nạo vét cống.";
    r.content.location = Location{"26734", "Số 12 Nguyễn Trãi"};
    r.content.contact = Contact{"Nguyễn Văn An", "0912345678", "", ""};
    r.content.consent = true;
    r.content.consentVersion = "nd13-2023-v1";
    seal(r);
    return r;
}

}  // namespace

TEST_CASE("content encodes and decodes to the same value") {
    const Record r = sampleRecord();
    auto back = decodeContent(encodeContent(r.content));
    REQUIRE(back);
    CHECK(*back == r.content);
}

TEST_CASE("anonymous content without a location round-trips and differs from an empty contact") {
    Content c;
    c.salt = newSaltHex();
    c.title = "t";
    c.body = "b";
    auto back = decodeContent(encodeContent(c));
    REQUIRE(back);
    CHECK_FALSE(back->contact.has_value());
    CHECK_FALSE(back->location.has_value());
    Content withEmpty = c;
    withEmpty.contact = Contact{};
    CHECK(encodeContent(withEmpty) != encodeContent(c));
    CHECK(decodeContent(encodeContent(withEmpty))->contact.has_value());
}

TEST_CASE("the encoding is deterministic and every field changes the hash") {
    const Record r = sampleRecord();
    CHECK(encodeHeader(r.header) == encodeHeader(r.header));
    CHECK(headerHash(r.header) == r.header.hash);
    CHECK(contentDigest(r.content) == r.header.contentDigest);

    auto mutated = [&](auto change) {
        Record m = r;
        change(m);
        seal(m);
        return m.header.hash;
    };
    CHECK(mutated([](Record& m) { m.header.sequence = 6; }) != r.header.hash);
    CHECK(mutated([](Record& m) { m.header.category = "DAT_DAI"; }) != r.header.hash);
    CHECK(mutated([](Record& m) { m.header.createdAt = "2026-11-23T04:05:06.790Z"; }) !=
          r.header.hash);
    CHECK(mutated([](Record& m) { m.header.prevHash[0] = '1'; }) != r.header.hash);
    CHECK(mutated([](Record& m) { m.header.staffAssisted = true; }) != r.header.hash);
    CHECK(mutated([](Record& m) { m.content.body += "."; }) != r.header.hash);
    CHECK(mutated([](Record& m) { m.content.contact->phone = "0912345679"; }) != r.header.hash);
    CHECK(mutated([](Record& m) { m.content.consent = false; }) != r.header.hash);
}

TEST_CASE("field boundaries cannot be shifted without changing the bytes") {
    Content a, b;
    a.salt = b.salt = "00";
    a.title = "ab";
    a.body = "c";
    b.title = "a";
    b.body = "bc";
    CHECK(encodeContent(a) != encodeContent(b));
}

TEST_CASE("the decoder refuses truncated, reordered, unknown and malformed input") {
    const std::string good = encodeContent(sampleRecord().content);
    DecodeError why{};
    CHECK_FALSE(decodeContent("XXXX" + good.substr(4), &why));
    CHECK(why == DecodeError::BadMagic);
    CHECK_FALSE(decodeContent(good.substr(0, good.size() - 3), &why));
    CHECK(why == DecodeError::Truncated);
    std::string unknown = good;
    unknown += std::string("\x20\0\0\0\0", 5);
    CHECK_FALSE(decodeContent(unknown, &why));
    std::string badUtf8 = good;
    const auto pos = badUtf8.find("Nguyễn");
    badUtf8[pos + 4] = '\xff';
    CHECK_FALSE(decodeContent(badUtf8, &why));
    CHECK(why == DecodeError::BadValue);
    CHECK_FALSE(decodeContent(""));
    CHECK_FALSE(decodeContent("KRC1"));
}

TEST_CASE("uuids are version 4 and distinct") {
    const std::string a = newUuid(), b = newUuid();
    CHECK(a != b);
    REQUIRE(a.size() == 36);
    CHECK(a[14] == '4');
    CHECK(std::string_view("89ab").find(a[19]) != std::string_view::npos);
}

TEST_CASE("every fixture body survives the content encoding byte for byte") {
    for (const auto& f : testsupport::seedFixtures()) {
        Content c;
        c.salt = newSaltHex();
        c.title = "x";
        c.body = f.body;
        auto back = decodeContent(encodeContent(c));
        REQUIRE(back);
        CHECK(back->body == f.body);
    }
}
