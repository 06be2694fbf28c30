#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "record/tracking_code.hpp"

using namespace ksync::record;

namespace {

std::string randomKioskId(std::mt19937_64& rng) {
    std::string id;
    for (int i = 0; i < kKioskIdLength; ++i)
        id.push_back(kCodeAlphabet[rng() % kCodeAlphabet.size()]);
    return id;
}

bool accepted(const std::string& typed, const std::string& original) {
    auto p = parseTrackingCode(typed);
    return p && p->text() == original;
}

}  // namespace

TEST_CASE("a tracking code has type, kiosk, six-digit sequence and check symbol") {
    const std::string code = makeTrackingCode(RecordType::Pakn, "7K3M", 123);
    REQUIRE(code.size() == std::string("PAKN-7K3M-000123-X").size());
    CHECK(code.starts_with("PAKN-7K3M-000123-"));
    CHECK(kCodeAlphabet.find(code.back()) != std::string_view::npos);
    auto parsed = parseTrackingCode(code);
    REQUIRE(parsed);
    CHECK(parsed->type == RecordType::Pakn);
    CHECK(parsed->kioskId == "7K3M");
    CHECK(parsed->sequence == 123);
    CHECK(parsed->text() == code);
}

TEST_CASE("the code alphabet has no look-alikes") {
    for (char c : std::string_view("OIL")) CHECK(kCodeAlphabet.find(c) == std::string_view::npos);
    CHECK(kCodeAlphabet.size() == 31);
}

TEST_CASE("sequences past 999999 grow the code instead of wrapping") {
    const std::string code = makeTrackingCode(RecordType::Skgp, "AB12", 1234567);
    CHECK(code.starts_with("SKGP-AB12-1234567-"));
    auto parsed = parseTrackingCode(code);
    REQUIRE(parsed);
    CHECK(parsed->sequence == 1234567);
}

TEST_CASE("parsing forgives case, missing dashes, spaces, O for 0, I and L for 1, and whole URLs") {
    const std::string code = makeTrackingCode(RecordType::Pakn, "7K3M", 10);  // PAKN-7K3M-000010-?
    std::string lower = code;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK(accepted(lower, code));
    std::string nodash;
    for (char c : code)
        if (c != '-') nodash.push_back(c);
    CHECK(accepted(nodash, code));
    std::string spaced = "PAKN 7K3M 000010 " + std::string(1, code.back());
    CHECK(accepted(spaced, code));
    std::string withO = code;
    for (size_t i = 10; i < 16; ++i)
        if (withO[i] == '0') withO[i] = 'O';
    CHECK(accepted(withO, code));
    std::string withI = code;
    withI[14] = 'I';
    CHECK(accepted(withI, code));
    CHECK(accepted("HTTPS://TRA.CUU.GOV.VN/T/" + code, code));
    CHECK(accepted("  " + code + "\n", code));
}

TEST_CASE("parsing rejects a wrong check symbol with the bad-check message") {
    std::string code = makeTrackingCode(RecordType::Pakn, "7K3M", 42);
    const char good = code.back();
    code.back() = good == 'A' ? 'B' : 'A';
    auto parsed = parseTrackingCode(code);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().error == CodeError::BadCheck);
    CHECK(parsed.error().messageKey() == "code.bad_check");
}

TEST_CASE("parsing names the character that never appears in codes") {
    auto parsed = parseTrackingCode("PAKN-7K3M-00#123-X");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().error == CodeError::BadChar);
    CHECK(parsed.error().badChar == "#");
    auto viet = parseTrackingCode("PAKN-7K3M-000123-Ư");
    REQUIRE_FALSE(viet);
    CHECK(viet.error().badChar == "Ư");
}

TEST_CASE("parsing tells empty, wrong type and wrong length apart") {
    CHECK(parseTrackingCode("").error().error == CodeError::Empty);
    CHECK(parseTrackingCode("   ").error().error == CodeError::Empty);
    CHECK(parseTrackingCode("ABCD-7K3M-000123-X").error().error == CodeError::BadType);
    CHECK(parseTrackingCode("PAKN-7K3M").error().error == CodeError::BadFormat);
    CHECK(parseTrackingCode("PAKN-7K3M-123-X").error().error == CodeError::BadFormat);
}

TEST_CASE("every single substitution and adjacent transposition of 10,000 codes is detected") {
    std::mt19937_64 rng(20261123);
    std::size_t substitutions = 0, transpositions = 0;
    for (int n = 0; n < 10000; ++n) {
        const RecordType type = rng() % 2 ? RecordType::Pakn : RecordType::Skgp;
        const std::string kiosk = randomKioskId(rng);
        const std::uint64_t seq = 1 + rng() % 2'000'000;
        const std::string code = makeTrackingCode(type, kiosk, seq);
        REQUIRE(accepted(code, code));
        std::string payload;  // the code without dashes, as the check sees it
        for (char c : code)
            if (c != '-') payload.push_back(c);
        for (size_t i = 0; i < payload.size(); ++i) {
            for (char sub : kCodeAlphabet) {
                if (sub == payload[i]) continue;
                std::string typo = payload;
                typo[i] = sub;
                ++substitutions;
                if (parseTrackingCode(typo))
                    FAIL("substitution not detected: " << typo << " for " << code);
            }
            if (i + 1 < payload.size() && payload[i] != payload[i + 1]) {
                std::string swapped = payload;
                std::swap(swapped[i], swapped[i + 1]);
                ++transpositions;
                if (parseTrackingCode(swapped))
                    FAIL("transposition not detected: " << swapped << " for " << code);
            }
        }
    }
    INFO("substitutions tried: " << substitutions << ", transpositions tried: " << transpositions);
    CHECK(substitutions > 4'000'000);
    CHECK(transpositions > 100'000);
}

TEST_CASE("codes from two kiosk ids never collide") {
    std::set<std::string> seen;
    for (std::uint64_t seq = 1; seq <= 20000; ++seq) {
        for (const char* kiosk : {"7K3M", "7K3N"}) {
            for (RecordType t : {RecordType::Pakn, RecordType::Skgp}) {
                auto [_, inserted] = seen.insert(makeTrackingCode(t, kiosk, seq));
                REQUIRE(inserted);
            }
        }
    }
    CHECK(seen.size() == 80000);
}

TEST_CASE("kiosk ids are exactly four symbols of the alphabet") {
    CHECK(isValidKioskId("7K3M"));
    CHECK_FALSE(isValidKioskId("7k3m"));
    CHECK_FALSE(isValidKioskId("7K3"));
    CHECK_FALSE(isValidKioskId("7K3MX"));
    CHECK_FALSE(isValidKioskId("7KOM"));
    CHECK_FALSE(isValidKioskId("ZZZZ"));
}
