#include <catch2/catch.hpp>

#include <algorithm>

#include "proto/backend_config.hpp"
#include "record/validation.hpp"
#include "test_support.hpp"
#include "text/strings.hpp"

using namespace ksync::record;

namespace {

Draft baseDraft() {
    Draft d;
    d.type = "PAKN";
    d.category = "MOI_TRUONG";
    d.body = "Đường Nguyễn Trãi ngập nước mỗi khi mưa lớn.";
    return d;
}

bool hasError(const std::vector<FieldError>& errors, Field f, std::string_view key) {
    return std::any_of(errors.begin(), errors.end(),
                       [&](const FieldError& e) { return e.field == f && e.messageKey == key; });
}

}  // namespace

TEST_CASE("a minimal anonymous draft is valid and gets a suggested title") {
    auto v = validateDraft(baseDraft());
    REQUIRE(v);
    CHECK(v->type == RecordType::Pakn);
    CHECK_FALSE(v->content.contact.has_value());
    CHECK(v->content.title == "Đường Nguyễn Trãi ngập nước mỗi khi mưa lớn");
}

TEST_CASE("an empty body is refused with the body-required message") {
    Draft d = baseDraft();
    d.body = "  \n\t ";
    auto v = validateDraft(d);
    REQUIRE_FALSE(v);
    CHECK(hasError(v.error(), Field::Body, "validation.body_required"));
}

TEST_CASE("a body of 64,000 characters is accepted and 64,001 is refused with the count") {
    Draft d = baseDraft();
    std::string body;
    for (int i = 0; i < 64000; ++i) body += "ệ";
    d.body = body;
    REQUIRE(validateDraft(d));
    d.body += "a";
    auto v = validateDraft(d);
    REQUIRE_FALSE(v);
    REQUIRE(v.error().size() == 1);
    CHECK(v.error()[0].messageKey == "validation.body_too_long");
    CHECK(v.error()[0].count == 64001);
    CHECK(v.error()[0].max == 64000);
    const auto strings = platform::text::Strings::load("vi");
    const std::string msg =
        strings.format("validation.body_too_long", {{"count", "64001"}, {"max", "64000"}});
    CHECK(msg.find("64001") != std::string::npos);
}

TEST_CASE("invalid utf-8 is refused, not repaired") {
    Draft d = baseDraft();
    d.body = "abc\xFF";
    auto v = validateDraft(d);
    REQUIRE_FALSE(v);
    CHECK(hasError(v.error(), Field::Body, "validation.invalid_utf8"));
}

TEST_CASE("text is stored as NFC with control characters removed") {
    Draft d = baseDraft();
    d.body = "Vie\xCC\xA3\xCC\x82t Nam\x07 đẹp";
    auto v = validateDraft(d);
    REQUIRE(v);
    CHECK(v->content.body == "Việt Nam đẹp");
}

TEST_CASE("vietnamese phone numbers are accepted in the ways people write them") {
    CHECK(normalisePhone("0912345678").value() == "0912345678");
    CHECK(normalisePhone("0912 345 678").value() == "0912345678");
    CHECK(normalisePhone("0912.345.678").value() == "0912345678");
    CHECK(normalisePhone("+84 912 345 678").value() == "0912345678");
    CHECK(normalisePhone("84912345678").value() == "0912345678");
    CHECK(normalisePhone("(028) 3823 4567").value() == "02838234567");
    CHECK(normalisePhone("0387654321").value() == "0387654321");
}

TEST_CASE("invalid phone numbers are refused with the phone message") {
    for (const char* bad : {"123", "091234567", "09123456789", "0112345678", "+1 555 123 4567",
                            "09l2345678", "+84", "0912-345-678x"}) {
        INFO(bad);
        auto r = normalisePhone(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().messageKey == "validation.phone_invalid");
    }
}

TEST_CASE("email addresses are checked and the domain lower-cased") {
    CHECK(normaliseEmail("Nguyen.An@Example.VN").value() == "Nguyen.An@example.vn");
    CHECK(normaliseEmail("a+tag@sub.domain.gov.vn").value() == "a+tag@sub.domain.gov.vn");
    for (const char* bad : {"a", "a@", "@b.vn", "a@b", "a@@b.vn", "a b@c.vn", "a@-b.vn", "a@b.v",
                            "a..b@c.vn", "nguyễn@a.vn"}) {
        INFO(bad);
        CHECK_FALSE(normaliseEmail(bad));
    }
}

TEST_CASE("a contact needs a name, a way to reply and consent") {
    Draft d = baseDraft();
    d.anonymous = false;
    auto v = validateDraft(d);
    REQUIRE_FALSE(v);
    CHECK(hasError(v.error(), Field::Name, "validation.name_required"));
    CHECK(hasError(v.error(), Field::Phone, "validation.contact_required"));
    CHECK(hasError(v.error(), Field::Consent, "validation.consent_required"));

    d.name = "Nguyễn Văn An";
    d.phone = "0912 345 678";
    d.consent = true;
    auto ok = validateDraft(d);
    REQUIRE(ok);
    REQUIRE(ok->content.contact);
    CHECK(ok->content.contact->phone == "0912345678");
    CHECK(ok->content.consent);
}

TEST_CASE("anonymous drafts drop any contact fields") {
    Draft d = baseDraft();
    d.name = "Nguyễn Văn An";
    d.phone = "bad";
    auto v = validateDraft(d);
    REQUIRE(v);
    CHECK_FALSE(v->content.contact.has_value());
}

TEST_CASE("type, category, channel and language are checked") {
    Draft d = baseDraft();
    d.type = "XXXX";
    d.category = "";
    d.channel = "web";
    d.language = "fr";
    auto v = validateDraft(d);
    REQUIRE_FALSE(v);
    CHECK(hasError(v.error(), Field::Type, "validation.type_invalid"));
    CHECK(hasError(v.error(), Field::Category, "validation.category_required"));
    CHECK(hasError(v.error(), Field::Channel, "validation.channel_invalid"));
    CHECK(hasError(v.error(), Field::Language, "validation.language_invalid"));
}

TEST_CASE("every validation message exists in Vietnamese and English") {
    for (const char* lang : {"vi", "en"}) {
        const auto strings = platform::text::Strings::load(lang);
        for (const char* key :
             {"validation.invalid_utf8", "validation.body_required", "validation.body_too_long",
              "validation.title_too_long", "validation.field_too_long", "validation.type_invalid",
              "validation.category_required", "validation.phone_invalid",
              "validation.email_invalid", "validation.name_required", "validation.contact_required",
              "validation.consent_required", "validation.channel_invalid",
              "validation.language_invalid", "code.empty", "code.bad_format", "code.bad_char",
              "code.bad_type", "code.bad_check"}) {
            INFO(lang << " " << key);
            CHECK(strings.has(key));
        }
        for (int f = 0; f <= static_cast<int>(Field::Language); ++f)
            CHECK(strings.has(fieldKey(static_cast<Field>(f))));
    }
}

TEST_CASE("the default backend config parses and has categories") {
    auto c = ksync::proto::parseBackendConfig(ksync::proto::defaultBackendConfigJson());
    REQUIRE(c);
    CHECK(c->categories.size() >= 5);
    CHECK(c->findCategory("MOI_TRUONG") != nullptr);
    CHECK(c->replyDays.at("PAKN") > 0);
    CHECK(c->trackingBaseUrl.back() == '/');
    CHECK_FALSE(ksync::proto::parseBackendConfig("{"));
    CHECK_FALSE(ksync::proto::parseBackendConfig("{\"version\":\"1\",\"categories\":[]}"));
}

TEST_CASE("the default config's categories have common problems, agriculture and irrigation") {
    auto c = ksync::proto::parseBackendConfig(ksync::proto::defaultBackendConfigJson());
    REQUIRE(c);
    REQUIRE(c->findCategory("NONG_NGHIEP"));
    REQUIRE(c->findCategory("THUY_LOI"));
    CHECK(c->findCategory("NONG_NGHIEP")->nameVi == "Nông nghiệp, chăn nuôi");
    CHECK(c->findCategory("THUY_LOI")->nameVi == "Thủy lợi, tưới tiêu");
    for (const auto& cat : c->categories) {
        INFO(cat.code);
        if (cat.code == "KHAC") {
            CHECK(cat.commonProblems.empty());  // "Việc khác": the resident writes
            continue;
        }
        CHECK(cat.commonProblems.size() >= 3);
        CHECK(cat.commonProblems.size() <= 6);
        for (const auto& p : cat.commonProblems) {
            CHECK_FALSE(p.vi.empty());
            CHECK_FALSE(p.en.empty());
            CHECK(ksync::record::validateDraft([&] {
                      ksync::record::Draft d;
                      d.type = "PAKN";
                      d.category = cat.code;
                      d.title = p.vi;
                      d.body = p.vi;
                      d.channel = "kiosk";
                      d.language = "vi";
                      d.anonymous = true;
                      return d;
                  }())
                      .has_value());  // sent as it is, it is a valid submission
        }
    }
}

TEST_CASE("common problems in a config: en falls back to vi, bad entries are refused") {
    auto parse = [](const std::string& problems) {
        return ksync::proto::parseBackendConfig(
            R"({"version":"1","categories":[{"code":"A","name_vi":"Á","common_problems":)" +
            problems + "}]}");
    };
    auto ok = parse(R"([{"vi":"Đèn hỏng."},{"vi":"Rác.","en":"Rubbish."}])");
    REQUIRE(ok);
    REQUIRE(ok->categories[0].commonProblems.size() == 2);
    CHECK(ok->categories[0].commonProblems[0].en == "Đèn hỏng.");
    CHECK(ok->categories[0].commonProblems[1].en == "Rubbish.");
    CHECK_FALSE(parse(R"("Đèn hỏng.")"));
    CHECK_FALSE(parse(R"([{"en":"No Vietnamese"}])"));
    CHECK_FALSE(parse(R"([1])"));
    std::string nine = "[";
    for (int i = 0; i < 9; ++i)
        nine += std::string(i ? "," : "") + R"({"vi":"Việc )" + std::to_string(i) + R"(."})";
    CHECK_FALSE(parse(nine + "]"));
    // No list at all is fine: the kiosk goes straight to writing.
    auto none = ksync::proto::parseBackendConfig(
        R"({"version":"1","categories":[{"code":"A","name_vi":"Á"}]})");
    REQUIRE(none);
    CHECK(none->categories[0].commonProblems.empty());
}
