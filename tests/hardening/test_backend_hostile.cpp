// Hostile and broken input to a real kiosk-backend process on loopback: oversized bodies,
// deeply nested JSON, invalid UTF-8 (in bodies, headers and paths), unknown kiosks, bad and
// replayed signatures, garbage. Each must get a clear JSON error body; the backend must keep
// serving (health answers, a real kioskctl sync still goes through, the process is alive).
#include <catch2/catch.hpp>

#include <httplib.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "clock/clock.hpp"
#include "hardening_support.hpp"
#include "keys/device_key.hpp"
#include "proto/payload_codec.hpp"
#include "proto/protocol.hpp"

using namespace hardening;

namespace {

struct Setup {
    testsupport::TempDir tmp;
    BackendProcess backend{{},
                           tmp / "backend",
                           {},
                           tmp / "logs" / "backend.stderr.log",
                           tmp / "logs" / "backend.stdout.log"};
    fs::path kioskDir = tmp / "kiosk";
    platform::keys::DeviceKey key = platform::keys::DeviceKey::generate();
    Setup() {
        backend.start(0);
        provisionKiosk(kioskDir, backend, "none");
        auto k = platform::keys::DeviceKey::load(kioskDir / "device.key");
        REQUIRE(k);
        key = std::move(*k);
    }
    httplib::Client client() const {
        httplib::Client c("127.0.0.1", backend.port());
        c.set_read_timeout(30, 0);
        return c;
    }
    // Headers of a request signed by this kiosk (or by `as` with another kiosk id).
    httplib::Headers signedHeaders(const std::string& path, const std::string& body,
                                   const std::string& kiosk = "7K3M",
                                   const platform::keys::DeviceKey* signer = nullptr,
                                   const std::string& nonce = ksync::proto::newNonce()) const {
        const std::string ts = std::to_string(platform::clock::unixMillis(platform::clock::now()));
        const auto& k = signer ? *signer : key;
        return {{"X-Kiosk-Id", kiosk},
                {"X-Kiosk-Timestamp", ts},
                {"X-Kiosk-Nonce", nonce},
                {"X-Kiosk-Signature", k.signBase64(ksync::proto::requestSigningString(
                                          "POST", path, kiosk, ts, nonce, body))}};
    }
    void checkStillServing() {
        auto c = client();
        auto h = c.Get("/api/v1/health");
        REQUIRE(h);
        CHECK(h->status == 200);
        CHECK(backend.running());
    }
};

// The reply is a JSON object whose "error" is `code`.
void checkError(const httplib::Result& r, int status, const std::string& code) {
    REQUIRE(r);
    INFO("status " << r->status << " body " << r->body.substr(0, 200));
    CHECK(r->status == status);
    auto j = nlohmann::json::parse(r->body, nullptr, false);
    REQUIRE(j.is_object());
    CHECK(j.value("error", "") == code);
}

std::string records(const std::string& inner) {
    return R"({"kiosk_id":"7K3M","records":)" + inner + "}";
}

}  // namespace

TEST_CASE(
    "the backend refuses oversized bodies with 413 and a JSON error, signed or not, and keeps "
    "serving") {
    Setup s;
    const std::string big(ksync::proto::kMaxRequestBytes + 1024, ' ');
    auto c = s.client();
    checkError(
        c.Post("/api/v1/records", s.signedHeaders("/api/v1/records", big), big, "application/json"),
        413, "payload_too_large");
    checkError(c.Post("/api/v1/enroll", big, "application/json"), 413, "payload_too_large");
    // 500 records is the batch limit.
    std::string many = "[";
    for (int i = 0; i < 501; ++i)
        many += std::string(i ? "," : "") + R"({"sequence":)" + std::to_string(i + 1) + "}";
    many += "]";
    const std::string body = records(many);
    checkError(c.Post("/api/v1/records", s.signedHeaders("/api/v1/records", body), body,
                      "application/json"),
               413, "batch_too_large");
    s.checkStillServing();
    std::cout << "oversized: 8 MiB + 1 KiB signed and unsigned, 501 records: 413 with JSON errors; "
                 "still serving\n";
}

TEST_CASE("the backend refuses deeply nested JSON with a JSON error and keeps serving") {
    Setup s;
    auto c = s.client();
    int tried = 0;
    for (int depth : {100, 10000, 1000000}) {
        const std::string deep = std::string(static_cast<std::size_t>(depth), '[') +
                                 std::string(static_cast<std::size_t>(depth), ']');
        const std::string deepObj = records("[" + deep + "]");
        checkError(c.Post("/api/v1/records", s.signedHeaders("/api/v1/records", deepObj), deepObj,
                          "application/json"),
                   400, "too_deep");
        checkError(c.Post("/api/v1/enroll", deep, "application/json"), 400, "too_deep");
        checkError(c.Post("/api/v1/heartbeat", s.signedHeaders("/api/v1/heartbeat", deep), deep,
                          "application/json"),
                   400, "too_deep");
        // Unclosed: the parser must not recurse either.
        const std::string open(static_cast<std::size_t>(depth), '{');
        checkError(c.Post("/api/v1/status", s.signedHeaders("/api/v1/status", open), open,
                          "application/json"),
                   400, "too_deep");
        tried += 4;
    }
    s.checkStillServing();
    std::cout
        << "deep JSON: " << tried
        << " requests, depth 100 to 1,000,000, closed and unclosed: 400 too_deep; still serving\n";
}

TEST_CASE(
    "the backend refuses invalid UTF-8 in bodies, headers and paths with JSON errors and keeps "
    "serving") {
    Setup s;
    auto c = s.client();
    const std::string bad = "\xC3\x28 \xE2\x82 \xF0\x28\x8C\x28 \xED\xA0\x80 \xC0\xAF";
    const std::string upload = records(R"([{"sequence":1,"id":")" + bad + R"("}])");
    checkError(c.Post("/api/v1/records", s.signedHeaders("/api/v1/records", upload), upload,
                      "application/json"),
               400, "invalid_utf8");
    const std::string enrol = R"({"kiosk_id":"7K3M","public_key":")" + bad + R"(","token":"x"})";
    checkError(c.Post("/api/v1/enroll", enrol, "application/json"), 400, "invalid_utf8");
    const std::string hb = R"({"last_error":")" + bad + R"("})";
    checkError(c.Post("/api/v1/heartbeat", s.signedHeaders("/api/v1/heartbeat", hb), hb,
                      "application/json"),
               400, "invalid_utf8");
    // A kiosk id that is not UTF-8: an unknown kiosk.
    const std::string body = R"({"since":"0"})";
    checkError(c.Post("/api/v1/status", s.signedHeaders("/api/v1/status", body, "7K\xFF\xFE"), body,
                      "application/json"),
               401, "unknown_kiosk");
    // Paths: the tracking page and Open311 with bytes that are not UTF-8.
    auto page = c.Get("/t/PAKN-%FF%FE-000001-X");
    REQUIRE(page);
    CHECK(page->status == 404);
    auto o311 = c.Get("/open311/v2/requests/%C3%28.json");
    REQUIRE(o311);
    CHECK(o311->status == 404);
    checkError(c.Get("/api/v1/%FF%FE"), 404, "not_found");
    s.checkStillServing();
    std::cout << "invalid UTF-8: 3 bodies, 1 header, 3 paths: JSON errors (invalid_utf8, "
                 "unknown_kiosk, 404); still serving\n";
}

TEST_CASE(
    "the backend refuses unknown kiosks, bad, foreign and replayed signatures and garbage with "
    "JSON errors and keeps serving") {
    Setup s;
    auto c = s.client();
    const std::string body = R"({"since":"0"})";
    const auto other = platform::keys::DeviceKey::generate();
    checkError(c.Post("/api/v1/status", s.signedHeaders("/api/v1/status", body, "9XYZ", &other),
                      body, "application/json"),
               401, "unknown_kiosk");
    checkError(c.Post("/api/v1/status", s.signedHeaders("/api/v1/status", body, "7K3M", &other),
                      body, "application/json"),
               401, "bad_signature");
    auto h = s.signedHeaders("/api/v1/status", body);
    h.erase("X-Kiosk-Signature");
    h.emplace("X-Kiosk-Signature", "bm90IGEgc2lnbmF0dXJl");
    checkError(c.Post("/api/v1/status", h, body, "application/json"), 401, "bad_signature");
    h.erase("X-Kiosk-Signature");
    h.emplace("X-Kiosk-Signature", "%%%not base64%%%");
    checkError(c.Post("/api/v1/status", h, body, "application/json"), 401, "bad_signature");
    // Signed for another body.
    checkError(c.Post("/api/v1/status", s.signedHeaders("/api/v1/status", body), R"({"since":"1"})",
                      "application/json"),
               401, "bad_signature");
    // Replay.
    const std::string nonce = ksync::proto::newNonce();
    auto once =
        c.Post("/api/v1/status", s.signedHeaders("/api/v1/status", body, "7K3M", nullptr, nonce),
               body, "application/json");
    REQUIRE(once);
    CHECK(once->status == 200);
    checkError(
        c.Post("/api/v1/status", s.signedHeaders("/api/v1/status", body, "7K3M", nullptr, nonce),
               body, "application/json"),
        401, "replayed_request");
    checkError(c.Post("/api/v1/status", body, "application/json"), 401, "unsigned_request");
    // Garbage after a valid signature.
    int garbage = 0;
    for (const std::string& g :
         {std::string(), std::string("null"), std::string("[]"), std::string("{\"records\":5}"),
          std::string("\x00\x01\x02", 3), std::string("{\"records\":[{\"sequence\":\"1\"}]}"),
          std::string("{\"records\":[{\"sequence\":-1}]}")}) {
        auto r =
            c.Post("/api/v1/records", s.signedHeaders("/api/v1/records", g), g, "application/json");
        REQUIRE(r);
        CHECK(r->status == 400);
        auto j = nlohmann::json::parse(r->body, nullptr, false);
        CHECK((j.is_object() && j.contains("error")));
        ++garbage;
    }
    s.checkStillServing();
    // And the real client still syncs.
    REQUIRE(
        ctl({"submit", "--category", "KHAC", "--body", "Đèn đường hỏng"}, s.kioskDir).exitCode ==
        0);
    auto synced = ctl({"sync", "--once"}, s.kioskDir);
    INFO(synced.err);
    CHECK(synced.exitCode == 0);
    std::cout << "authentication: unknown kiosk, foreign key, garbage signature, non-base64, other "
                 "body, replay, "
                 "unsigned; "
              << garbage << " garbage bodies: JSON errors; still serving, kioskctl sync ok\n";
}

TEST_CASE(
    "the backend opens a zstd body only when signed and within the request limit, and keeps "
    "serving") {
    Setup s;
    auto c = s.client();
    auto post = [&](const std::string& body, const std::string& encoding) {
        auto h = s.signedHeaders("/api/v1/records", body);
        h.emplace("Content-Encoding", encoding);
        return c.Post("/api/v1/records", h, body, "application/json");
    };
    // A bomb: 64 MiB of spaces in a 2 KiB frame (declared size beyond 8 MiB): refused unopened.
    const std::string bomb = ksync::proto::compressBody(std::string(64u << 20, ' '));
    REQUIRE(bomb.size() < 64 * 1024);
    checkError(post(bomb, "zstd"), 413, "body_too_large");
    // Damage, a frame without content, an encoding the backend never offered.
    std::string damaged = ksync::proto::compressBody(records("[]"));
    damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x5a);
    checkError(post(damaged, "zstd"), 400, "bad_body_encoding");
    checkError(post("not zstd at all", "zstd"), 400, "bad_body_encoding");
    checkError(post(records("[]"), "compress"), 415, "unsupported_encoding");
    // gzip and br, which the HTTP library would inflate unbounded before any check: refused
    // before the body is read (a gzip bomb of 8 MiB would be 8 GiB).
    checkError(post(records("[]"), "gzip"), 415, "unsupported_encoding");
    checkError(post(records("[]"), "br"), 415, "unsupported_encoding");
    checkError(
        c.Post("/api/v1/enroll", {{"Content-Encoding", "deflate"}}, "{}", "application/json"), 415,
        "unsupported_encoding");
    // Unsigned, a compressed body is not even looked at.
    auto unsigned_ =
        c.Post("/api/v1/records", {{"Content-Encoding", "zstd"}}, bomb, "application/json");
    REQUIRE(unsigned_);
    CHECK(unsigned_->status == 401);
    // A good compressed empty batch is accepted.
    auto ok = post(ksync::proto::compressBody(records("[]")), "zstd");
    REQUIRE(ok);
    CHECK(ok->status == 200);
    s.checkStillServing();
    std::cout << "compressed bodies: a 64 MiB bomb in " << bomb.size()
              << " bytes (413 unopened), damaged and bogus frames (400), unknown encoding (415), "
                 "unsigned (401); "
                 "still serving\n";
}
