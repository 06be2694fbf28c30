// HTTPS against a real nginx on loopback: a good certificate is accepted (enrol, then a record
// synced through nginx); a wrong CA, an expired certificate, a wrong host name and a wrong pinned
// key are each refused, each with its own code in the store and its own words in `kioskctl
// status` (Vietnamese and English); plain HTTP to anything but loopback is refused.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "backend_process.hpp"
#include "run_process.hpp"
#include "store/data_dir.hpp"
#include "test_support.hpp"
#include "text/strings.hpp"
#include "tls_proxy.hpp"

using testsupport::ProcessResult;

namespace {

ProcessResult ctl(std::vector<std::string> args) {
    return testsupport::runProcess(KIOSKCTL_PATH, args);
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string sentence(const std::string& lang, const std::string& key) {
    return platform::text::Strings::load(lang).get(key);
}

// Sites of the one nginx: which certificate each serves.
enum Site : std::size_t { Good, Expired, OtherHost, RogueCa, kSites };

struct Rig {
    testsupport::TempDir tmp;
    testsupport::BackendProcess backend{{}, tmp.path() / "backend", {}, tmp.path() / "backend.log"};
    testsupport::PrivateCa ca{tmp.path() / "ca", "Kiosk Test CA"};
    testsupport::PrivateCa rogue{tmp.path() / "rogue", "Some Other CA"};
    testsupport::TlsFiles good = ca.issue("good", "localhost");
    testsupport::TlsFiles expired =
        ca.issue("expired", "localhost", testsupport::PrivateCa::Validity::Expired);
    testsupport::TlsFiles otherHost = ca.issue("other", "phananh.other-city.example");
    testsupport::TlsFiles rogueSigned = rogue.issue("rogue", "localhost");
    std::optional<testsupport::TlsProxy> nginx;
    std::string kdir = (tmp.path() / "kiosk").string();

    bool start() {
        backend.start(0);
        nginx.emplace(tmp.path() / "nginx", backend.port(),
                      std::vector<testsupport::TlsFiles>{good, expired, otherHost, rogueSigned});
        return nginx->start();
    }
    ProcessResult kctl(std::vector<std::string> args) const {
        args.insert(args.end(), {"--data-dir", kdir});
        return ctl(args);
    }
    ksync::store::DataDir dir() const { return {kdir, {}}; }
    void setBackend(const std::string& url, const std::string& caBundle,
                    const std::string& pin = {}) const {
        auto s = ksync::store::loadSettings(dir());
        REQUIRE(s);
        s->backendUrl = url;
        s->caBundle = caBundle;
        s->pinnedPublicKey = pin;
        REQUIRE(ksync::store::saveSettings(dir(), *s));
    }
    std::string submit() const {
        auto r = kctl({"submit", "--category", "MOI_TRUONG", "--body",
                       "Đèn đường trước chợ phường bị hỏng từ tuần trước, buổi tối rất tối."});
        REQUIRE(r.exitCode == 0);
        return r.out.substr(0, r.out.find('\n'));
    }
    nlohmann::json status() const {
        auto r = kctl({"status", "--json"});
        REQUIRE(r.exitCode == 0);
        return nlohmann::json::parse(r.out);
    }
    // Provisioned with the private CA, enrolled and one record synced over HTTPS.
    void enrolOverHttps() {
        auto init = kctl({"init", "--kiosk-id", "7K3M", "--backend", nginx->url(Good),
                          "--ca-bundle", ca.certFile().string()});
        INFO(init.err);
        REQUIRE(init.exitCode == 0);
        auto token = backend.cli({"issue-token", "--kiosk-id", "7K3M"});
        REQUIRE(token.exitCode == 0);
        auto enrolled = kctl({"enroll", "--token", token.out.substr(0, token.out.find('\n'))});
        INFO(enrolled.err << nginx->errorLog());
        REQUIRE(enrolled.exitCode == 0);
    }
    // One pass refused for `site`'s certificate: the record stays queued, the store holds
    // `code`, and `kioskctl status` words it in Vietnamese and in English.
    void checkRefused(const std::string& code, const std::string& messageKey) const {
        const auto before = status();
        auto once = kctl({"sync", "--once"});
        INFO(once.out << once.err);
        CHECK(once.exitCode != 0);
        CHECK(has(once.err, sentence("vi", messageKey)));
        const auto after = status();
        CHECK(after["last_error_code"] == code);
        CHECK(after["queued"] == before["queued"]);
        CHECK(after["uploaded"] == before["uploaded"]);
        auto vi = kctl({"status"});
        INFO(vi.out);
        CHECK(has(vi.out, "Lỗi gần nhất:"));
        CHECK(has(vi.out, sentence("vi", messageKey)));
        auto en = kctl({"status", "--lang", "en"});
        INFO(en.out);
        CHECK(has(en.out, sentence("en", messageKey)));
        CHECK_FALSE(has(en.out, sentence("vi", messageKey)));
    }
};

}  // namespace

TEST_CASE(
    "HTTPS through nginx: a certificate from the configured private CA is accepted, enrolment and "
    "sync go through") {
    Rig rig;
    if (!rig.start()) return;
    rig.enrolOverHttps();
    const std::string code = rig.submit();
    auto once = rig.kctl({"sync", "--once"});
    INFO(once.err << rig.nginx->errorLog());
    REQUIRE(once.exitCode == 0);
    const auto s = rig.status();
    CHECK(s["queued"] == 0);
    CHECK(s["uploaded"] == 1);
    CHECK(s["last_error_code"].is_null());
    CHECK(s["backend"] == rig.nginx->url(Good));
    auto shown = rig.kctl({"show", code});
    CHECK(has(shown.out, "đã gửi, máy chủ đã xác nhận"));
    // The requests went through nginx (its access log), not around it.
    const std::string access = rig.nginx->accessLog();
    CHECK(has(access, "POST /api/v1/enroll"));
    CHECK(has(access, "POST /api/v1/records"));
}

TEST_CASE(
    "HTTPS through nginx: a wrong CA, an expired certificate and a wrong host name are each "
    "refused with their own reason") {
    Rig rig;
    if (!rig.start()) return;
    rig.enrolOverHttps();
    rig.submit();
    const std::string caFile = rig.ca.certFile().string();

    SECTION("a certificate from another CA than the one in kiosk.toml") {
        rig.setBackend(rig.nginx->url(RogueCa), caFile);
        rig.checkRefused("kiosk.tls_untrusted", "sync.error.tls_untrusted");
    }
    SECTION("the private CA not configured: the system store does not know it") {
        rig.setBackend(rig.nginx->url(Good), "");
        rig.checkRefused("kiosk.tls_untrusted", "sync.error.tls_untrusted");
    }
    SECTION("an expired certificate from the right CA") {
        rig.setBackend(rig.nginx->url(Expired), caFile);
        rig.checkRefused("kiosk.tls_expired", "sync.error.tls_expired");
    }
    SECTION("a certificate from the right CA for another host name") {
        rig.setBackend(rig.nginx->url(OtherHost), caFile);
        rig.checkRefused("kiosk.tls_hostname", "sync.error.tls_hostname");
    }
    SECTION("the good certificate reached by another name (127.0.0.1 is not in it)") {
        rig.setBackend(rig.nginx->url(Good, "127.0.0.1"), caFile);
        rig.checkRefused("kiosk.tls_hostname", "sync.error.tls_hostname");
    }
    SECTION("a CA file that does not exist") {
        rig.setBackend(rig.nginx->url(Good), (rig.tmp.path() / "missing.pem").string());
        rig.checkRefused("kiosk.tls_ca_file", "sync.error.tls_ca_file");
    }
    // Back on the good site, the record that waited goes through: nothing was lost.
    rig.setBackend(rig.nginx->url(Good), caFile);
    auto once = rig.kctl({"sync", "--once"});
    INFO(once.err);
    CHECK(once.exitCode == 0);
    CHECK(rig.status()["queued"] == 0);
    CHECK(rig.status()["uploaded"] == 1);
}

TEST_CASE(
    "HTTPS through nginx: the server's public key pinned in kiosk.toml, with and without the CA") {
    Rig rig;
    if (!rig.start()) return;
    rig.enrolOverHttps();
    const std::string caFile = rig.ca.certFile().string();

    SECTION("the right pin and the CA: accepted") {
        rig.setBackend(rig.nginx->url(Good), caFile, rig.good.pin);
        rig.submit();
        auto once = rig.kctl({"sync", "--once"});
        INFO(once.err);
        CHECK(once.exitCode == 0);
        CHECK(rig.status()["uploaded"] == 1);
    }
    SECTION("a pin of another key: refused, though the chain and the name are good") {
        rig.setBackend(rig.nginx->url(Good), caFile, rig.otherHost.pin);
        rig.submit();
        rig.checkRefused("kiosk.tls_pin", "sync.error.tls_pin");
    }
    SECTION(
        "the right pin does not replace the chain check: a rogue CA's certificate is still "
        "refused") {
        rig.setBackend(rig.nginx->url(RogueCa), caFile, rig.rogueSigned.pin);
        rig.submit();
        rig.checkRefused("kiosk.tls_untrusted", "sync.error.tls_untrusted");
    }
    SECTION("kioskctl init takes the pin and refuses one that is not sha256//") {
        auto bad = rig.kctl({"init", "--kiosk-id", "7K3M", "--pinned-key", "abc"});
        CHECK(bad.exitCode != 0);
        CHECK(has(bad.err, sentence("vi", "ctl.pinned_key_invalid")));
        auto ok = rig.kctl({"init", "--kiosk-id", "7K3M", "--backend", rig.nginx->url(Good),
                            "--pinned-key", rig.good.pin});
        REQUIRE(ok.exitCode == 0);
        auto s = ksync::store::loadSettings(rig.dir());
        REQUIRE(s);
        CHECK(s->pinnedPublicKey == rig.good.pin);
        CHECK(s->caBundle == caFile);  // kept from the first init
        rig.submit();
        CHECK(rig.kctl({"sync", "--once"}).exitCode == 0);
    }
}

TEST_CASE("plain HTTP is refused for any host but loopback, in words") {
    testsupport::TempDir tmp;
    const std::string kdir = (tmp.path() / "kiosk").string();
    auto refused = ctl({"init", "--data-dir", kdir, "--kiosk-id", "7K3M", "--backend",
                        "http://phananh.example.gov.vn"});
    CHECK(refused.exitCode != 0);
    CHECK(has(refused.err, sentence("vi", "sync.error.plain_http")));
    auto refusedEn = ctl({"init", "--data-dir", kdir, "--kiosk-id", "7K3M", "--backend",
                          "http://10.0.0.5:8470", "--lang", "en"});
    CHECK(refusedEn.exitCode != 0);
    CHECK(has(refusedEn.err, sentence("en", "sync.error.plain_http")));
    // Loopback is allowed (a backend on the same machine); a kiosk.toml edited by hand to plain
    // HTTP elsewhere is refused by the sync client itself.
    REQUIRE(
        ctl({"init", "--data-dir", kdir, "--kiosk-id", "7K3M", "--backend", "http://127.0.0.1:9"})
            .exitCode == 0);
    ksync::store::DataDir dir{kdir, {}};
    auto s = ksync::store::loadSettings(dir);
    REQUIRE(s);
    s->backendUrl = "http://phananh.example.gov.vn";
    REQUIRE(ksync::store::saveSettings(dir, *s));
    auto once = ctl({"sync", "--once", "--data-dir", kdir});
    CHECK(once.exitCode != 0);
    CHECK(has(once.err, sentence("vi", "sync.error.plain_http")));
}
