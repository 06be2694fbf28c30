// The protocol's request and reply types (sync/proto/messages.hpp): each message survives its
// own wire form, keeps the field names of docs/PROTOCOL.md, and refuses missing fields and
// wrong types with a reason code instead of throwing.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "proto/messages.hpp"

using namespace ksync;
using nlohmann::json;

namespace {

// Through the bytes, as the other side sees it.
template <class Message>
Message roundTrip(const Message& m) {
    auto back = proto::parseMessage<Message>(proto::dumpMessage(m));
    if (!back) FAIL("refused its own wire form: " << back.error());
    return *back;
}

template <class Message>
std::string refusal(const json& j) {
    auto m = Message::fromJson(j);
    if (m) return "accepted";
    return m.error();
}

// `j` without `key`, or with `key` set to `value`.
json without(json j, const std::string& key) {
    j.erase(key);
    return j;
}
json with(json j, const std::string& key, json value) {
    j[key] = std::move(value);
    return j;
}

proto::WireRecord wireRecord(std::uint64_t seq) {
    proto::WireRecord w;
    auto& h = w.header;
    h.id = "0b6c1f6e-3c1a-4a8e-9d55-" + std::to_string(100000000000 + seq);
    h.kioskId = "7K3M";
    h.sequence = seq;
    h.trackingCode = "PAKN-7K3M-" + std::to_string(100000 + seq).substr(0, 6) + "-Q";
    h.category = "MOI_TRUONG";
    h.createdAt = "2026-11-23T04:05:06.789Z";
    h.contentDigest = std::string(64, 'a');
    h.prevHash = std::string(64, '0');
    h.hash = std::string(64, 'b');
    w.payloadFormat = "sealed:zstd-dict:v1";
    w.payload = std::string("\x00\x01\xFF binary", 10);
    return w;
}

proto::StatusUpdateEntry update() {
    return {"PAKN-7K3M-000017-Q",
            "forwarded",
            "Đã chuyển",
            "Phòng TN&MT",
            "Trần Thị Bình",
            "2026-12-10",
            "2026-11-24T02:00:00.000Z"};
}

}  // namespace

TEST_CASE("every message survives its own wire form") {
    proto::HealthReply health{
        "kiosk-backend", 1795406706789, "2026-11-23T04:05:06.789Z", "S2V5", {"zstd"}};
    CHECK(roundTrip(health) == health);

    proto::EnrollRequest enroll{"7K3M", "S2V5", "K7M3X-ABCDE", "0.1.0"};
    CHECK(roundTrip(enroll) == enroll);
    proto::EnrollReply enrolled{"7K3M", true, "QmFja2VuZA=="};
    CHECK(roundTrip(enrolled) == enrolled);

    proto::RecordsUploadReply upload{"7K3M", 116, {98, 0, 1, 1}, {}};
    upload.exceptions.push_back(
        {23, "id-23", proto::ItemResult::Conflict, "same_id_different_hash", false});
    upload.exceptions.push_back(
        {40, "id-40", proto::ItemResult::Rejected, "unknown_dictionary", true});
    CHECK(roundTrip(upload) == upload);

    proto::StatusRequest status{"4711"};
    CHECK(roundTrip(status) == status);
    proto::StatusReply pulled{{update(), update()}, "4711", true};
    CHECK(roundTrip(pulled) == pulled);

    proto::HeartbeatRequest beat;
    beat.queueDepth = 3;
    beat.oldestQueuedAgeS = 420;
    beat.quarantined = 0;
    beat.printer = "ok";
    beat.appVersion = "0.1.0";
    beat.lastError = "Không kết nối được máy chủ";
    beat.lastContact = "2026-11-23T04:05:06.789Z";
    CHECK(roundTrip(beat) == beat);
    CHECK(roundTrip(proto::HeartbeatReply{1795406706789}) == proto::HeartbeatReply{1795406706789});

    CHECK(roundTrip(proto::ErrorReply{"bad_request", {}, {}}) ==
          proto::ErrorReply{"bad_request", {}, {}});
    proto::ErrorReply stale{"stale_timestamp", 1795406706789, {}};
    CHECK(roundTrip(stale) == stale);
    proto::ErrorReply refused{"refused", {}, "expected date must be YYYY-MM-DD"};
    CHECK(roundTrip(refused) == refused);

    proto::StaffUpdateRequest staff{"pakn-7k3m-000017-q", "closed",     "Phòng Quản lý đô thị",
                                    "Nguyễn Văn An",      "2026-12-10", "Đã xử lý xong"};
    CHECK(roundTrip(staff) == staff);
    proto::StaffUpdateReply staffDone{"PAKN-7K3M-000017-Q", "closed"};
    CHECK(roundTrip(staffDone) == staffDone);

    proto::PublicStatusReply pub{
        "PAKN-7K3M-000017-Q", "2026-11-23T04:05:06.789Z", "2026-11-23T04:06:00.000Z", {}};
    pub.events.push_back({"needs_info", "Cần bổ sung địa chỉ cụ thể", "UBND phường", "",
                          "2026-12-10", "2026-11-24T02:00:00.000Z"});
    CHECK(roundTrip(pub) == pub);
}

TEST_CASE("an upload request carries its records in order and each one survives the wire") {
    proto::RecordsUploadRequest request{"7K3M", {wireRecord(17), wireRecord(18), wireRecord(19)}};
    auto back = proto::parseMessage<proto::RecordsUploadRequest>(proto::dumpMessage(request));
    REQUIRE(back);
    CHECK(back->kioskId == "7K3M");
    REQUIRE(back->items.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& item = back->items[i];
        CHECK(item.sequence == request.records[i].header.sequence);
        CHECK(item.id == request.records[i].header.id);
        REQUIRE(item.record);
        CHECK(item.record->header == request.records[i].header);
        CHECK(item.record->payloadFormat == request.records[i].payloadFormat);
        CHECK(item.record->payload == request.records[i].payload);
    }
}

TEST_CASE("replies keep the field names and types of docs/PROTOCOL.md") {
    const json health = proto::HealthReply{"kiosk-backend", 5, "t", "k", {"zstd"}}.toJson();
    CHECK(health == json::parse(R"({"protocol":2,"service":"kiosk-backend","time_ms":5,"time":"t",
                                    "backend_public_key":"k","accept_encoding":["zstd"]})"));
    proto::RecordsUploadReply upload{"7K3M", 116, {98, 0, 1, 1}, {}};
    upload.exceptions.push_back(
        {23, "x", proto::ItemResult::Conflict, "same_id_different_hash", false});
    CHECK(upload.toJson() == json::parse(R"({"protocol":2,"kiosk_id":"7K3M","stored_through":116,
        "counts":{"created":98,"duplicate":0,"conflict":1,"rejected":1},
        "exceptions":[{"sequence":23,"id":"x","result":"conflict","reason":"same_id_different_hash","retry":false}]})"));
    CHECK(proto::StatusReply{{}, "0", false}.toJson() ==
          json::parse(R"({"protocol":2,"updates":[],"cursor":"0","more":false})"));
    CHECK(proto::ErrorReply{"stale_timestamp", 7, {}}.toJson() ==
          json::parse(R"({"protocol":2,"error":"stale_timestamp","server_time_ms":7})"));
    CHECK(proto::ErrorReply{"refused", {}, "why"}.toJson() ==
          json::parse(R"({"protocol":2,"error":"refused","reason":"why"})"));
    CHECK(proto::HeartbeatReply{9}.toJson() == json::parse(R"({"protocol":2,"time_ms":9})"));
    CHECK(proto::StatusRequest{"0"}.toJson() == json::parse(R"({"since":"0"})"));
    // A heartbeat sends only what it has.
    proto::HeartbeatRequest beat;
    beat.queueDepth = 2;
    beat.printer = "ok";
    CHECK(beat.toJson() == json::parse(R"({"queue_depth":2,"printer":"ok"})"));
}

TEST_CASE("text that is not JSON and JSON that is not an object are refused with a reason") {
    CHECK(proto::parseMessage<proto::HealthReply>("<html>Đăng nhập Wi-Fi</html>").error() ==
          "not_json");
    CHECK(proto::parseMessage<proto::ErrorReply>("").error() == "not_json");
    CHECK(proto::parseMessage<proto::StatusReply>("[1,2]").error() == "not_object");
    CHECK(proto::parseMessage<proto::RecordsUploadRequest>("\"records\"").error() == "not_object");
    CHECK(proto::parseMessage<proto::HeartbeatRequest>("17").error() == "not_object");
    CHECK(proto::parseMessage<proto::PublicStatusReply>("null").error() == "not_object");
}

TEST_CASE("a reply whose protocol is not an integer is refused") {
    const json j = proto::HeartbeatReply{1}.toJson();
    CHECK(refusal<proto::HeartbeatReply>(with(j, "protocol", "1")) == "bad_field:protocol");
    CHECK(refusal<proto::HeartbeatReply>(without(j, "protocol")) == "accepted");
}

TEST_CASE("a health reply without the backend key or with a text time is refused") {
    const json j = proto::HealthReply{"kiosk-backend", 5, "t", "k", {"zstd"}}.toJson();
    CHECK(refusal<proto::HealthReply>(without(j, "backend_public_key")) ==
          "bad_field:backend_public_key");
    CHECK(refusal<proto::HealthReply>(with(j, "backend_public_key", 42)) ==
          "bad_field:backend_public_key");
    CHECK(refusal<proto::HealthReply>(with(j, "time_ms", "5")) == "bad_field:time_ms");
    CHECK(refusal<proto::HealthReply>(with(j, "time_ms", 5.5)) == "bad_field:time_ms");
    CHECK(refusal<proto::HealthReply>(with(j, "accept_encoding", "zstd")) ==
          "bad_field:accept_encoding");
    CHECK(refusal<proto::HealthReply>(with(j, "accept_encoding", json::array({"zstd", 1}))) ==
          "bad_field:accept_encoding");
}

TEST_CASE("a health reply from an older backend without accept_encoding is read as no encoding") {
    const auto h = proto::HealthReply::fromJson(without(
        proto::HealthReply{"kiosk-backend", 5, "t", "k", {"zstd"}}.toJson(), "accept_encoding"));
    REQUIRE(h);
    CHECK(h->acceptEncoding.empty());
    CHECK_FALSE(h->acceptsEncoding("zstd"));
}

TEST_CASE(
    "an enrolment request needs kiosk id, key and token as strings and may omit the app version") {
    const json j = proto::EnrollRequest{"7K3M", "S2V5", "K7M3X", "0.1.0"}.toJson();
    CHECK(refusal<proto::EnrollRequest>(without(j, "kiosk_id")) == "bad_field:kiosk_id");
    CHECK(refusal<proto::EnrollRequest>(with(j, "public_key", json::array())) ==
          "bad_field:public_key");
    CHECK(refusal<proto::EnrollRequest>(with(j, "token", nullptr)) == "bad_field:token");
    CHECK(refusal<proto::EnrollRequest>(with(j, "app_version", 1)) == "bad_field:app_version");
    auto old = proto::EnrollRequest::fromJson(without(j, "app_version"));
    REQUIRE(old);
    CHECK(old->appVersion.empty());
}

TEST_CASE("an enrolment reply without the backend key or with a text flag is refused") {
    const json j = proto::EnrollReply{"7K3M", true, "k"}.toJson();
    CHECK(refusal<proto::EnrollReply>(without(j, "backend_public_key")) ==
          "bad_field:backend_public_key");
    CHECK(refusal<proto::EnrollReply>(with(j, "enrolled", "true")) == "bad_field:enrolled");
    CHECK(refusal<proto::EnrollReply>(without(j, "kiosk_id")) == "bad_field:kiosk_id");
}

TEST_CASE(
    "an upload request is refused as a whole only for its envelope, its size or a record without "
    "sequence") {
    const json ok = proto::RecordsUploadRequest{"7K3M", {wireRecord(1)}}.toJson();
    CHECK(refusal<proto::RecordsUploadRequest>(without(ok, "records")) == "bad_field:records");
    CHECK(refusal<proto::RecordsUploadRequest>(with(ok, "records", json::object())) ==
          "bad_field:records");
    CHECK(refusal<proto::RecordsUploadRequest>(with(ok, "kiosk_id", 7)) == "bad_field:kiosk_id");
    CHECK(refusal<proto::RecordsUploadRequest>(without(ok, "kiosk_id")) == "accepted");

    json many = json::array();
    for (std::uint64_t i = 1; i <= proto::kMaxBatchRecords + 1; ++i)
        many.push_back({{"sequence", i}});
    CHECK(refusal<proto::RecordsUploadRequest>(with(ok, "records", many)) == "batch_too_large");
    // The size is checked before any record: 501 records without sequences are still too many.
    CHECK(refusal<proto::RecordsUploadRequest>(
              with(ok, "records", json(std::vector<int>(proto::kMaxBatchRecords + 1, 7)))) ==
          "batch_too_large");
    CHECK(refusal<proto::RecordsUploadRequest>(with(ok, "records", json::array({1, 2}))) ==
          "record_without_sequence");

    for (const json& bad :
         {json(17), json::parse(R"({"id":"x"})"), json::parse(R"({"sequence":-1})"),
          json::parse(R"({"sequence":"17"})"), json::parse(R"({"sequence":1.5})")})
        CHECK(refusal<proto::RecordsUploadRequest>(
                  with(ok, "records", json::array({ok["records"][0], bad}))) ==
              "record_without_sequence");
}

TEST_CASE("an upload request keeps a damaged record as its own refusal with its sequence and id") {
    json damaged = proto::toWire(wireRecord(18));
    damaged["hash"] = "short";
    json noId = proto::toWire(wireRecord(19));
    noId["id"] = 19;
    const json body{{"kiosk_id", "7K3M"},
                    {"records", json::array({proto::toWire(wireRecord(17)), damaged, noId})}};
    auto batch = proto::RecordsUploadRequest::fromJson(body);
    REQUIRE(batch);
    REQUIRE(batch->items.size() == 3);
    CHECK(batch->items[0].record);
    CHECK(batch->items[1].sequence == 18);
    CHECK(batch->items[1].id == wireRecord(18).header.id);
    REQUIRE_FALSE(batch->items[1].record);
    CHECK(batch->items[1].record.error() == "bad_field:hash");
    CHECK(batch->items[2].sequence == 19);
    CHECK(batch->items[2].id.empty());
    REQUIRE_FALSE(batch->items[2].record);
    CHECK(batch->items[2].record.error() == "bad_field:id");
}

TEST_CASE(
    "an upload reply with a missing watermark, bad counts or a malformed exception is refused") {
    proto::RecordsUploadReply reply{"7K3M", 3, {2, 0, 1, 0}, {}};
    reply.exceptions.push_back(
        {2, "id-2", proto::ItemResult::Conflict, "same_id_different_hash", false});
    const json j = reply.toJson();
    CHECK(refusal<proto::RecordsUploadReply>(without(j, "stored_through")) ==
          "bad_field:stored_through");
    CHECK(refusal<proto::RecordsUploadReply>(with(j, "stored_through", -1)) ==
          "bad_field:stored_through");
    CHECK(refusal<proto::RecordsUploadReply>(with(j, "stored_through", "3")) ==
          "bad_field:stored_through");
    CHECK(refusal<proto::RecordsUploadReply>(without(j, "exceptions")) == "bad_field:exceptions");
    CHECK(refusal<proto::RecordsUploadReply>(without(j, "counts")) == "bad_field:counts");
    json counts = j;
    counts["counts"]["duplicate"] = "0";
    CHECK(refusal<proto::RecordsUploadReply>(counts) == "bad_field:counts.duplicate");

    auto exceptionWith = [&](const std::string& key, json value) {
        json e = j;
        e["exceptions"][0][key] = std::move(value);
        return refusal<proto::RecordsUploadReply>(e);
    };
    auto exceptionWithout = [&](const std::string& key) {
        json e = j;
        e["exceptions"][0].erase(key);
        return refusal<proto::RecordsUploadReply>(e);
    };
    for (const char* key : {"sequence", "id", "result", "reason", "retry"})
        CHECK(exceptionWithout(key) == std::string("bad_field:exceptions.") + key);
    CHECK(exceptionWith("sequence", -2) == "bad_field:exceptions.sequence");
    CHECK(exceptionWith("retry", "no") == "bad_field:exceptions.retry");
    CHECK(exceptionWith("id", 2) == "bad_field:exceptions.id");
    CHECK(exceptionWith("result", "maybe") == "bad_field:exceptions.result");
    CHECK(refusal<proto::RecordsUploadReply>(with(j, "exceptions", json::array({7}))) ==
          "bad_field:exceptions");
}

TEST_CASE("a status request may omit since and refuses a number for it") {
    auto empty = proto::StatusRequest::fromJson(json::object());
    REQUIRE(empty);
    CHECK(empty->since == "0");
    CHECK(refusal<proto::StatusRequest>(json{{"since", 4711}}) == "bad_field:since");
}

TEST_CASE(
    "a status reply with a malformed update is refused as a whole so the cursor cannot pass it") {
    const json j = proto::StatusReply{{update()}, "12", false}.toJson();
    CHECK(refusal<proto::StatusReply>(without(j, "cursor")) == "bad_field:cursor");
    CHECK(refusal<proto::StatusReply>(with(j, "cursor", 12)) == "bad_field:cursor");
    CHECK(refusal<proto::StatusReply>(with(j, "more", 0)) == "bad_field:more");
    CHECK(refusal<proto::StatusReply>(with(j, "updates", "none")) == "bad_field:updates");
    CHECK(refusal<proto::StatusReply>(with(j, "updates", json::array({"x"}))) ==
          "bad_field:updates");
    for (const char* key :
         {"tracking_code", "status", "note", "agency", "officer", "expected_date", "updated_at"}) {
        json missing = j, wrong = j;
        missing["updates"][0].erase(key);
        wrong["updates"][0][key] = 1;
        CHECK(refusal<proto::StatusReply>(missing) == std::string("bad_field:updates.") + key);
        CHECK(refusal<proto::StatusReply>(wrong) == std::string("bad_field:updates.") + key);
    }
}

TEST_CASE("a heartbeat request drops fields of the wrong type instead of refusing the telemetry") {
    auto beat = proto::HeartbeatRequest::fromJson(json::parse(
        R"({"queue_depth":"3","oldest_queued_age_s":18446744073709551615,"quarantined":2,"printer":7,
            "app_version":"0.1.0","last_error":null,"last_contact":"2026-11-23T04:05:06.789Z","extra":true})"));
    REQUIRE(beat);
    CHECK_FALSE(beat->queueDepth);
    CHECK_FALSE(beat->oldestQueuedAgeS);
    CHECK(beat->quarantined == 2);
    CHECK_FALSE(beat->printer);
    CHECK(beat->appVersion == "0.1.0");
    CHECK_FALSE(beat->lastError);
    CHECK(beat->lastContact == "2026-11-23T04:05:06.789Z");
    CHECK(
        beat->toJson() ==
        json::parse(
            R"({"quarantined":2,"app_version":"0.1.0","last_contact":"2026-11-23T04:05:06.789Z"})"));
}

TEST_CASE("a heartbeat reply without its time is refused") {
    CHECK(refusal<proto::HeartbeatReply>(json{{"protocol", 1}}) == "bad_field:time_ms");
    CHECK(refusal<proto::HeartbeatReply>(json{{"protocol", 1}, {"time_ms", "now"}}) ==
          "bad_field:time_ms");
}

TEST_CASE("an error reply needs its code and checks the types of its extras") {
    CHECK(refusal<proto::ErrorReply>(json{{"protocol", 1}}) == "bad_field:error");
    CHECK(refusal<proto::ErrorReply>(json{{"protocol", 1}, {"error", 401}}) == "bad_field:error");
    CHECK(refusal<proto::ErrorReply>(json{{"error", "stale_timestamp"}, {"server_time_ms", "5"}}) ==
          "bad_field:server_time_ms");
    CHECK(refusal<proto::ErrorReply>(json{{"error", "refused"}, {"reason", false}}) ==
          "bad_field:reason");
    // The public status endpoint's old bodies had no protocol field; they still read.
    auto old = proto::parseMessage<proto::ErrorReply>(R"({"error":"not_found"})");
    REQUIRE(old);
    CHECK(old->error == "not_found");
    CHECK_FALSE(old->serverTimeMs);
    CHECK_FALSE(old->reason);
}

TEST_CASE("a staff update may leave out fields but refuses a field of the wrong type") {
    auto partial = proto::StaffUpdateRequest::fromJson(
        json{{"tracking_code", "PAKN-7K3M-000017-Q"}, {"status", "closed"}});
    REQUIRE(partial);
    CHECK(partial->agency.empty());
    CHECK(partial->expectedDate.empty());
    CHECK(refusal<proto::StaffUpdateRequest>(json{{"tracking_code", 17}}) ==
          "bad_field:tracking_code");
    CHECK(refusal<proto::StaffUpdateRequest>(json{{"status", "closed"}, {"note", json::array()}}) ==
          "bad_field:note");
    const json reply = proto::StaffUpdateReply{"PAKN-7K3M-000017-Q", "closed"}.toJson();
    CHECK(refusal<proto::StaffUpdateReply>(without(reply, "tracking_code")) ==
          "bad_field:tracking_code");
    CHECK(refusal<proto::StaffUpdateReply>(with(reply, "status", 3)) == "bad_field:status");
}

TEST_CASE("a public status reply with a missing date or a malformed event is refused") {
    proto::PublicStatusReply pub{
        "PAKN-7K3M-000017-Q", "2026-11-23T04:05:06.789Z", "2026-11-23T04:06:00.000Z", {}};
    pub.events.push_back({"received", "", "", "", "", "2026-11-23T05:00:00.000Z"});
    const json j = pub.toJson();
    CHECK(refusal<proto::PublicStatusReply>(without(j, "received_at")) == "bad_field:received_at");
    CHECK(refusal<proto::PublicStatusReply>(with(j, "tracking_code", 1)) ==
          "bad_field:tracking_code");
    CHECK(refusal<proto::PublicStatusReply>(without(j, "events")) == "bad_field:events");
    CHECK(refusal<proto::PublicStatusReply>(with(j, "events", json::array({nullptr}))) ==
          "bad_field:events");
    json bad = j;
    bad["events"][0]["updated_at"] = 5;
    CHECK(refusal<proto::PublicStatusReply>(bad) == "bad_field:events.updated_at");
    bad = j;
    bad["events"][0].erase("officer");
    CHECK(refusal<proto::PublicStatusReply>(bad) == "bad_field:events.officer");
}

TEST_CASE("item result codes read back as the results they name") {
    for (auto r : {proto::ItemResult::Created, proto::ItemResult::Duplicate,
                   proto::ItemResult::Conflict, proto::ItemResult::Rejected})
        CHECK(proto::parseItemResult(proto::itemResultCode(r)) == r);
    CHECK_FALSE(proto::parseItemResult("Created"));
    CHECK_FALSE(proto::parseItemResult(""));
}

TEST_CASE(
    "a message with invalid UTF-8 in a string is written with replacement characters, not an "
    "exception") {
    proto::ErrorReply e{"refused", {}, std::string("cut \xE1\xBB", 6)};
    std::string body;
    REQUIRE_NOTHROW(body = proto::dumpMessage(e));
    auto back = proto::parseMessage<proto::ErrorReply>(body);
    REQUIRE(back);
    CHECK(back->reason == "cut \xEF\xBF\xBD");
}
