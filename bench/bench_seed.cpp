// bench_seed — fills a PostgreSQL backend database (schema made by `kiosk-backend migrate`, no
// rows yet) with a city's year: kiosks in ~168 wards, 1,000,000 records and 3,000,000 status
// events, through binary COPY. For the latency benchmark (bench_backend latency).
//
// What the rows are, and why it is honest:
//   * Records are real records: content is the canonical bytes (record::encodeContent) of drafts
//     built from tests/fixtures/seed_submissions.jsonl by bench::makeDraft (80-1,500 byte bodies,
//     every fourth with contact), each with its own salt; headers carry valid tracking codes
//     (makeTrackingCode: distinct, per-kiosk sequences from 1), content digests and a per-kiosk
//     hash chain, so `kiosk-backend audit` would find them intact. payload_format is what a
//     kiosk sends ("sealed:zstd-dict:v1"); the backend stores the opened content, as here.
//   * created_at over a year in office hours (UTC+7, fewer on weekends), rows in creation order
//     (rid follows time, as it does when kiosks upload as they go); received_at seconds to hours
//     later (offline kiosks). Categories skewed as a ward's feedback is (land and construction
//     most), a third SKGP.
//   * 1-5 status events per record (mean 3): received -> forwarded -> needs_info -> answered ->
//     closed, spread over days after the record and committed in time order (event ids follow
//     updated_at, as the backend's advisory lock makes them). records.status/status_updated hold
//     the last event, as addStatus leaves them. 40 % of records stay open.
//   * Draft bodies repeat with a period of 20,000 (validating a million drafts would only cost
//     time); every record still has distinct salt, digest, id, code and hash.
//   * The officers' console columns are filled as ingest fills them (backend::makeCaseIndex
//     with the default config: ward, working-day deadline, folded search text; agency, status
//     and deadline from the last event, as addStatus leaves them). Each record names its
//     kiosk's ward and an address; wards beyond the config's list get codes 30000+N. Records of
//     the last 3 days with a single planned event have none yet (the inbox's "new" tab); those
//     of the last 45 days with four planned events stop after three, at needs_info ("waiting").
//
// Usage: bench_seed --database URI --fixtures DIR --out-dir DIR [--records 1000000]
//        [--config assets/config/default-config.json]
//        [--events-per-record 3] [--wards 168] [--kiosks-per-ward 3] [--start 2025-11-24]
//        [--days 365] [--out results.json]
// Writes DIR/manifest.json (kiosks, time range, a sample of codes) and DIR/keys/<KIOSK>.key
// (each kiosk's device key, for signed status pulls).
#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>

#include "backend_bench.hpp"
#include "bench_common.hpp"
#include "clock/clock.hpp"
#include "keys/device_key.hpp"
#include "proto/backend_config.hpp"
#include "record/record.hpp"
#include "record/tracking_code.hpp"
#include "record/validation.hpp"
#include "service/case_index.hpp"

namespace {

using namespace bench;
using nlohmann::json;
namespace fs = std::filesystem;
namespace rec = ksync::record;

constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kHourMs = 3'600'000;

// Categories of assets/config/default-config.json with a ward's rough mix (percent).
struct Category {
    const char* code;
    int weight;
    const char* agency;  // who a ward forwards it to
};
constexpr Category kCategories[] = {
    {"DAT_DAI", 18, "Phòng Kinh tế, Hạ tầng và Đô thị"},
    {"XAY_DUNG", 14, "Phòng Kinh tế, Hạ tầng và Đô thị"},
    {"MOI_TRUONG", 12, "Phòng Kinh tế, Hạ tầng và Đô thị"},
    {"GIAO_THONG", 10, "Sở Xây dựng Thành phố Hồ Chí Minh"},
    {"AN_NINH", 8, "Công an phường"},
    {"Y_TE", 5, "Trạm Y tế phường"},
    {"GIAO_DUC", 5, "Phòng Văn hóa - Xã hội"},
    {"AN_SINH", 7, "Phòng Văn hóa - Xã hội"},
    {"THU_TUC", 10, "Trung tâm Phục vụ hành chính công"},
    {"CAN_BO", 4, "Văn phòng HĐND và UBND phường"},
    {"CHUYEN_DOI_SO", 3, "Văn phòng HĐND và UBND phường"},
    {"KHAC", 4, "Văn phòng HĐND và UBND phường"},
};
constexpr const char* kWardNames[] = {"Sài Gòn",  "Tân Định", "Bến Thành",  "Cầu Ông Lãnh",
                                      "Xuân Hòa", "Cần Giờ",  "Bình Khánh", "Thạnh An"};
constexpr const char* kOfficers[] = {"Nguyễn Thị Mai",  "Trần Văn Hùng",   "Lê Thị Thu Hà",
                                     "Phạm Minh Tuấn",  "Võ Thị Ngọc Ánh", "Đặng Quốc Bảo",
                                     "Huỳnh Thanh Tâm", "Bùi Thị Lan"};
constexpr const char* kStreets[] = {"Lê Lợi",        "Nguyễn Huệ", "Hai Bà Trưng",  "Pasteur",
                                    "Điện Biên Phủ", "Võ Văn Tần", "Trần Hưng Đạo", "Lý Tự Trọng"};
constexpr const char* kPath[] = {"received", "forwarded", "needs_info", "answered", "closed"};

// The statuses of a record with n events (1..5); `waiting`: 3 events that end asking the
// resident for information (received, forwarded, needs_info).
const char* statusOf(int n, int j, bool waiting = false) {
    static constexpr int kSteps[6][5] = {{}, {0}, {0, 1}, {0, 1, 3}, {0, 1, 2, 3}, {0, 1, 2, 3, 4}};
    if (waiting) return kPath[j];
    return kPath[kSteps[n][j]];
}

// ---- binary COPY ------------------------------------------------------------------------------

class Copy {
public:
    Copy(PGconn* c, const std::string& sql) : m_c(c) {
        PGresult* r = PQexec(c, sql.c_str());
        if (PQresultStatus(r) != PGRES_COPY_IN) die("COPY: " + std::string(PQerrorMessage(c)));
        PQclear(r);
        m_buf.append("PGCOPY\n\xff\r\n\0", 11);
        i32(0);
        i32(0);
    }
    void row(int fields) {
        i16(static_cast<std::int16_t>(fields));
        if (m_buf.size() > (1 << 20)) flush();
    }
    void text(std::string_view s) {
        i32(static_cast<std::int32_t>(s.size()));
        m_buf.append(s);
    }
    void int8(std::int64_t v) {
        i32(8);
        i64(v);
    }
    void int4(std::int32_t v) {
        i32(4);
        i32(v);
    }
    void finish() {
        i16(-1);
        flush();
        if (PQputCopyEnd(m_c, nullptr) != 1) die("COPY end: " + std::string(PQerrorMessage(m_c)));
        PGresult* r = PQgetResult(m_c);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) die("COPY: " + std::string(PQerrorMessage(m_c)));
        PQclear(r);
        while ((r = PQgetResult(m_c))) PQclear(r);
    }
    std::uint64_t bytes() const { return m_sent + m_buf.size(); }

private:
    void flush() {
        if (PQputCopyData(m_c, m_buf.data(), static_cast<int>(m_buf.size())) != 1)
            die("COPY data: " + std::string(PQerrorMessage(m_c)));
        m_sent += m_buf.size();
        m_buf.clear();
    }
    void i16(std::int16_t v) {
        const auto u = static_cast<std::uint16_t>(v);
        m_buf.push_back(static_cast<char>(u >> 8));
        m_buf.push_back(static_cast<char>(u & 0xFF));
    }
    void i32(std::int32_t v) {
        const auto u = static_cast<std::uint32_t>(v);
        for (int s = 24; s >= 0; s -= 8) m_buf.push_back(static_cast<char>((u >> s) & 0xFF));
    }
    void i64(std::int64_t v) {
        const auto u = static_cast<std::uint64_t>(v);
        for (int s = 56; s >= 0; s -= 8) m_buf.push_back(static_cast<char>((u >> s) & 0xFF));
    }
    PGconn* m_c;
    std::string m_buf;
    std::uint64_t m_sent = 0;
};

void exec(PGconn* c, const std::string& sql) {
    PGresult* r = PQexec(c, sql.c_str());
    const auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        die("PostgreSQL: " + std::string(PQerrorMessage(c)) + " in " + sql);
    PQclear(r);
}

std::string scalar(PGconn* c, const std::string& sql) {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
        die("PostgreSQL: " + std::string(PQerrorMessage(c)) + " in " + sql);
    std::string v = PQgetvalue(r, 0, 0);
    PQclear(r);
    return v;
}

// ---- deterministic values ---------------------------------------------------------------------

using Rng = std::mt19937_64;

std::string hex(Rng& rng, int bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    s.reserve(std::size_t(bytes) * 2);
    for (int i = 0; i < bytes; i += 8) {
        std::uint64_t v = rng();
        for (int k = 0; k < 8 && i + k < bytes; ++k, v >>= 8) {
            s.push_back(kHex[(v >> 4) & 0xF]);
            s.push_back(kHex[v & 0xF]);
        }
    }
    return s;
}

std::string uuid(Rng& rng) {
    std::string h = hex(rng, 16);
    h[12] = '4';                        // version 4
    h[16] = "89ab"[(h[16] - '0') & 3];  // RFC 4122 variant
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20);
}

// Kiosk number k -> a distinct 4-symbol id (multiplication by a unit mod 31^4 is a bijection).
std::string kioskId(std::size_t k) {
    constexpr std::uint64_t kSpace = 31ull * 31 * 31 * 31;
    std::uint64_t v = (k * 104729ull + 7'777ull) % kSpace;
    std::string id(4, '0');
    for (int i = 3; i >= 0; --i, v /= 31) id[std::size_t(i)] = rec::kCodeAlphabet[v % 31];
    return id;
}

std::string utc(std::int64_t ms) {
    return platform::clock::formatUtc(platform::clock::fromUnixMillis(ms));
}
std::string ymd(std::int64_t ms) {
    return utc(ms).substr(0, 10);
}
std::string viDate(std::int64_t ms) {
    const std::string d = ymd(ms);
    return d.substr(8, 2) + "/" + d.substr(5, 2) + "/" + d.substr(0, 4);
}

struct RecordInfo {
    std::int64_t createdMs = 0;
    std::int64_t receivedMs = 0;
    std::uint32_t sequence = 0;
    std::uint16_t kiosk = 0;
    std::uint8_t category = 0;
    std::uint8_t events = 0;
    bool skgp = false;
    bool waiting = false;  // the last event asks the resident for information
};

struct EventInfo {
    std::int64_t atMs;
    std::uint32_t record;
    std::uint8_t step;
};

}  // namespace

int main(int argc, char** argv) {
    const std::string uri = arg(argc, argv, "--database");
    const fs::path fixtures = arg(argc, argv, "--fixtures");
    const fs::path outDir = arg(argc, argv, "--out-dir");
    const fs::path results = arg(argc, argv, "--out");
    const std::size_t nRecords = std::stoul(arg(argc, argv, "--records", "1000000"));
    const int eventsPerRecord = std::stoi(arg(argc, argv, "--events-per-record", "3"));
    const std::size_t wards = std::stoul(arg(argc, argv, "--wards", "168"));
    const std::size_t perWard = std::stoul(arg(argc, argv, "--kiosks-per-ward", "3"));
    const std::string startDay = arg(argc, argv, "--start", "2025-11-24");
    const int days = std::stoi(arg(argc, argv, "--days", "365"));
    const fs::path configFile =
        arg(argc, argv, "--config",
            (fixtures / ".." / ".." / "assets" / "config" / "default-config.json").string());
    if (uri.empty() || fixtures.empty() || outDir.empty())
        die("usage: bench_seed --database URI --fixtures DIR --out-dir DIR");
    if (eventsPerRecord != 3) die("--events-per-record: only 3 (1..5 per record) is implemented");
    const std::size_t nKiosks = wards * perWard;
    if (nKiosks == 0 || nKiosks > 65535) die("kiosks: 1..65535");
    auto start = platform::clock::parseUtc(startDay + "T00:00:00Z");
    if (!start) die("--start YYYY-MM-DD");
    const std::int64_t t0 = platform::clock::unixMillis(*start);
    const std::int64_t tEnd = t0 + std::int64_t(days) * kDayMs;

    PGconn* c = PQconnectdb(uri.c_str());
    if (PQstatus(c) != CONNECTION_OK) die("PostgreSQL: " + std::string(PQerrorMessage(c)));
    if (scalar(c, "SELECT to_regclass('records') IS NOT NULL") != "t")
        die("no schema: run kiosk-backend migrate first");
    if (scalar(c, "SELECT count(*) FROM (SELECT 1 FROM records LIMIT 1) x") != "0" ||
        scalar(c, "SELECT count(*) FROM (SELECT 1 FROM status_events LIMIT 1) x") != "0")
        die("the database already has records: seed a fresh one");
    ksync::proto::BackendConfig config;
    {
        std::ifstream in(configFile);
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        auto parsed = ksync::proto::parseBackendConfig(text);
        if (!parsed) die("config " + configFile.string() + ": " + parsed.error());
        config = std::move(*parsed);
    }
    auto wardCode = [&](std::size_t ward) {
        return ward < config.wards.size() ? config.wards[ward].code : std::to_string(30000 + ward);
    };
    exec(c, "SET synchronous_commit = off");
    const auto tAll = Clock::now();
    Rng rng(20261123);

    // ---- kiosks and their keys ----
    fs::create_directories(outDir / "keys");
    std::vector<std::string> kiosks;
    {
        Copy k(c,
               "COPY kiosks (kiosk_id, public_key, enrolled_at, last_seen_at, heartbeat) FROM "
               "STDIN (FORMAT binary)");
        for (std::size_t i = 0; i < nKiosks; ++i) {
            kiosks.push_back(kioskId(i));
            const fs::path file = outDir / "keys" / (kiosks.back() + ".key");
            auto key = platform::keys::DeviceKey::loadOrCreate(file);
            if (!key) die("key: " + key.error());
            k.row(5);
            k.text(kiosks.back());
            k.text(key->publicKeyBase64());
            k.text(utc(t0 - 30 * kDayMs + std::int64_t(i) * 60'000));
            k.text(utc(tEnd - std::int64_t(i % 300) * 1000));
            k.text("");
        }
        k.finish();
    }

    // ---- when, where, what: creation times in office hours, sorted ----
    std::vector<std::int64_t> created(nRecords);
    {
        std::uniform_int_distribution<int> day(0, days - 1);
        // 07:30-17:00 in Vietnam (UTC+7) is 00:30-10:00 UTC.
        std::uniform_int_distribution<std::int64_t> tod(kHourMs / 2, 10 * kHourMs);
        std::uniform_real_distribution<double> u(0, 1);
        for (auto& t : created) {
            for (;;) {
                const int d = day(rng);
                const int weekday =
                    int(((t0 / kDayMs) + d + 4) % 7);  // 1970-01-01 was a Thursday: 0 = Sunday
                const double keep = weekday == 0 ? 0.15 : weekday == 6 ? 0.5 : 1.0;
                if (u(rng) > keep) continue;
                t = t0 + std::int64_t(d) * kDayMs + tod(rng);
                break;
            }
        }
        std::sort(created.begin(), created.end());
    }
    std::vector<int> catWheel;
    for (std::size_t i = 0; i < std::size(kCategories); ++i)
        for (int w = 0; w < kCategories[i].weight; ++w) catWheel.push_back(int(i));

    // Drafts: validated once, reused with period P (each record still gets its own salt).
    const auto seeds = loadSeeds(fixtures);
    const std::size_t period = std::min<std::size_t>(nRecords, 20000);
    std::vector<rec::Content> drafts;
    drafts.reserve(period);
    for (std::size_t i = 0; i < period; ++i) {
        auto v = rec::validateDraft(makeDraft(seeds, i));
        if (!v) die("draft invalid");
        drafts.push_back(std::move(v->content));
    }

    std::vector<RecordInfo> info(nRecords);
    std::vector<std::string> deadlines(nRecords);  // each case's working-day reply deadline
    auto wardName = [](std::size_t ward) {
        return ward < std::size(kWardNames) ? std::string(kWardNames[ward])
                                            : "số " + std::to_string(ward + 1);
    };
    std::vector<std::uint32_t> nextSeq(nKiosks, 0);
    std::vector<std::string> lastHash(nKiosks, std::string(rec::kGenesisHash));
    std::vector<EventInfo> events;
    events.reserve(nRecords * 3);
    std::uint64_t contentBytes = 0;
    const double tGen0 = msSince(tAll);
    {
        Copy r(c,
               "COPY records (id, kiosk_id, sequence, tracking_code, type, category, channel, "
               "staff_assisted, language, "
               "created_at, clock_synced, content_digest, prev_hash, hash, payload_format, "
               "content, intact, received_at, "
               "status, status_updated, ward, agency, deadline, search_text) FROM STDIN (FORMAT "
               "binary)");
        std::uniform_int_distribution<std::size_t> kioskPick(0, nKiosks - 1);
        std::uniform_int_distribution<std::size_t> catPick(0, catWheel.size() - 1);
        std::uniform_real_distribution<double> u(0, 1);
        for (std::size_t i = 0; i < nRecords; ++i) {
            RecordInfo& ri = info[i];
            ri.createdMs = created[i];
            ri.kiosk = static_cast<std::uint16_t>(kioskPick(rng));
            ri.sequence = ++nextSeq[ri.kiosk];
            ri.skgp = u(rng) < 1.0 / 3;
            ri.category = static_cast<std::uint8_t>(catWheel[catPick(rng)]);
            ri.events = static_cast<std::uint8_t>(1 + i % 5);  // exactly 3 on average
            if (ri.events == 1 && ri.createdMs > tEnd - 3 * kDayMs) ri.events = 0;  // new
            if (ri.events == 4 && ri.createdMs > tEnd - 45 * kDayMs) {
                ri.events = 3;  // still waiting for the resident's answer
                ri.waiting = true;
            }
            const double d = u(rng);  // upload delay: most online, some kiosks offline for hours
            ri.receivedMs =
                ri.createdMs + (d < 0.7    ? std::int64_t(1000 + u(rng) * 29'000)
                                : d < 0.95 ? std::int64_t(60'000 + u(rng) * 59 * 60'000)
                                           : std::int64_t(kHourMs + u(rng) * 47 * kHourMs));

            rec::Record record;
            rec::Header& h = record.header;
            h.id = uuid(rng);
            h.kioskId = kiosks[ri.kiosk];
            h.sequence = ri.sequence;
            h.type = ri.skgp ? rec::RecordType::Skgp : rec::RecordType::Pakn;
            h.trackingCode = rec::makeTrackingCode(h.type, h.kioskId, h.sequence);
            h.category = kCategories[ri.category].code;
            h.channel = u(rng) < 0.07 ? rec::Channel::StaffEntry : rec::Channel::Kiosk;
            h.staffAssisted = h.channel == rec::Channel::Kiosk && u(rng) < 0.1;
            h.language = "vi";
            h.createdAt = utc(ri.createdMs);
            h.clockSynced = u(rng) < 0.995;
            h.prevHash = lastHash[ri.kiosk];
            record.content = drafts[i % period];
            record.content.salt = hex(rng, 16);
            record.content.location = rec::Location{
                wardCode(ri.kiosk / perWard), "Số " + std::to_string(1 + i % 299) + " đường " +
                                                  kStreets[i % std::size(kStreets)]};
            const std::string content = rec::encodeContent(record.content);
            h.contentDigest = rec::sha256Hex(content);
            h.hash = rec::headerHash(h);
            lastHash[ri.kiosk] = h.hash;
            contentBytes += content.size();

            // The timeline: acknowledged within hours, then days between steps; squeezed to end
            // by the end of the year for the newest records.
            std::array<std::int64_t, 5> at{};
            std::int64_t t = ri.receivedMs;
            for (int j = 0; j < ri.events; ++j) {
                t += j == 0 ? std::int64_t(kHourMs / 2 + u(rng) * 23 * kHourMs)
                            : std::int64_t(kDayMs / 2 + u(rng) * 6 * kDayMs);
                at[std::size_t(j)] = t;
            }
            const std::int64_t last = ri.events ? at[std::size_t(ri.events - 1)] : 0;
            if (last > tEnd) {
                const double scale =
                    double(tEnd - 1000 - ri.receivedMs) / double(last - ri.receivedMs);
                for (int j = 0; j < ri.events; ++j)
                    at[std::size_t(j)] =
                        ri.receivedMs +
                        std::max<std::int64_t>(
                            j + 1,
                            std::int64_t(double(at[std::size_t(j)] - ri.receivedMs) * scale));
            }
            for (int j = 0; j < ri.events; ++j)
                events.push_back({at[std::size_t(j)], std::uint32_t(i), std::uint8_t(j)});

            const auto index = ksync::backend::makeCaseIndex(h, record.content, config);
            // The agency of the last event that named one (received: the ward's UBND).
            std::string agency;
            for (int j = ri.events - 1; j >= 0 && agency.empty(); --j) {
                const std::string st = statusOf(ri.events, j, ri.waiting);
                if (st == "received")
                    agency = "UBND phường " + wardName(ri.kiosk / perWard);
                else if (st != "closed")
                    agency = kCategories[ri.category].agency;
            }
            r.row(24);
            r.text(h.id);
            r.text(h.kioskId);
            r.int8(std::int64_t(h.sequence));
            r.text(h.trackingCode);
            r.text(rec::typeCode(h.type));
            r.text(h.category);
            r.text(rec::channelCode(h.channel));
            r.int4(h.staffAssisted ? 1 : 0);
            r.text(h.language);
            r.text(h.createdAt);
            r.int4(h.clockSynced ? 1 : 0);
            r.text(h.contentDigest);
            r.text(h.prevHash);
            r.text(h.hash);
            r.text("sealed:zstd-dict:v1");
            r.text(content);
            r.int4(1);
            r.text(utc(ri.receivedMs));
            r.text(ri.events ? statusOf(ri.events, ri.events - 1, ri.waiting) : "");
            r.text(ri.events ? utc(at[std::size_t(ri.events - 1)]) : std::string{});
            r.text(index.ward);
            r.text(agency);
            r.text(index.deadline);
            r.text(index.searchText);
            deadlines[i] = index.deadline;
        }
        r.finish();
        std::cout << "records: " << nRecords << " in " << (msSince(tAll) - tGen0) / 1000 << " s ("
                  << humanBytes(double(r.bytes())) << " of COPY data)" << std::endl;
    }
    const double recordsS = (msSince(tAll) - tGen0) / 1000;

    // ---- status events, in time order ----
    const double tEv0 = msSince(tAll);
    std::sort(events.begin(), events.end(), [](const EventInfo& a, const EventInfo& b) {
        return a.atMs != b.atMs       ? a.atMs < b.atMs
               : a.record != b.record ? a.record < b.record
                                      : a.step < b.step;
    });
    {
        Copy e(c,
               "COPY status_events (tracking_code, kiosk_id, status, note, agency, officer, "
               "expected_date, updated_at, "
               "event_uid) FROM STDIN (FORMAT binary)");
        std::uniform_int_distribution<int> officer(0, int(std::size(kOfficers)) - 1);
        std::uniform_int_distribution<int> docNo(100, 9999);
        for (const auto& ev : events) {
            const RecordInfo& ri = info[ev.record];
            const std::string& kiosk = kiosks[ri.kiosk];
            const std::string status = statusOf(ri.events, ev.step, ri.waiting);
            const std::string& expected = deadlines[ev.record];
            std::string note, agency, who;
            if (status == "received") {
                agency = "UBND phường " + wardName(ri.kiosk / perWard);
                note = "Đã tiếp nhận, đang phân công xử lý.";
            } else if (status == "forwarded") {
                agency = kCategories[ri.category].agency;
                who = kOfficers[officer(rng)];
                note = "Chuyển cơ quan chuyên môn xử lý theo thẩm quyền.";
            } else if (status == "needs_info") {
                agency = kCategories[ri.category].agency;
                who = kOfficers[officer(rng)];
                note =
                    "Đề nghị ông/bà bổ sung bản sao giấy tờ liên quan và địa chỉ cụ thể nơi xảy ra "
                    "sự việc tại Trung tâm "
                    "Phục vụ hành chính công phường.";
            } else if (status == "answered") {
                agency = kCategories[ri.category].agency;
                who = kOfficers[officer(rng)];
                note = "Đã trả lời bằng văn bản số " + std::to_string(docNo(rng)) +
                       "/UBND-KT ngày " + viDate(ev.atMs) +
                       ". Mời ông/bà đến Trung tâm Phục vụ hành chính công nhận văn bản hoặc tra "
                       "cứu bằng mã hồ sơ.";
            } else {
                note = "Kết thúc xử lý.";
            }
            e.row(9);
            e.text(rec::makeTrackingCode(ri.skgp ? rec::RecordType::Skgp : rec::RecordType::Pakn,
                                         kiosk, ri.sequence));
            e.text(kiosk);
            e.text(status);
            e.text(note);
            e.text(agency);
            e.text(who);
            e.text(status == "closed" ? std::string{} : expected);
            e.text(utc(ev.atMs));
            e.text(hex(rng, 16));
        }
        e.finish();
        std::cout << "status events: " << events.size() << " in " << (msSince(tAll) - tEv0) / 1000
                  << " s (" << humanBytes(double(e.bytes())) << " of COPY data)" << std::endl;
    }
    const double eventsS = (msSince(tAll) - tEv0) / 1000;

    // ---- statistics (a live database has them from autovacuum) ----
    const double tVac0 = msSince(tAll);
    exec(c, "VACUUM (ANALYZE) records");
    exec(c, "VACUUM (ANALYZE) status_events");
    exec(c, "VACUUM (ANALYZE) kiosks");
    const double vacuumS = (msSince(tAll) - tVac0) / 1000;
    const double totalS = msSince(tAll) / 1000;

    auto size = [&](const std::string& expr) { return std::stoll(scalar(c, "SELECT " + expr)); };
    json sizes{{"database_bytes", size("pg_database_size(current_database())")},
               {"records_table_bytes", size("pg_table_size('records')")},
               {"records_index_bytes", size("pg_indexes_size('records')")},
               {"status_events_table_bytes", size("pg_table_size('status_events')")},
               {"status_events_index_bytes", size("pg_indexes_size('status_events')")}};
    json indexes = json::object();
    for (const char* t : {"records", "status_events"}) {
        PGresult* r = PQexec(
            c,
            ("SELECT indexrelid::regclass::text, pg_relation_size(indexrelid) FROM pg_index WHERE "
             "indrelid = '" +
             std::string(t) + "'::regclass ORDER BY 1")
                .c_str());
        for (int i = 0; i < PQntuples(r); ++i)
            indexes[PQgetvalue(r, i, 0)] = std::stoll(PQgetvalue(r, i, 1));
        PQclear(r);
    }
    sizes["indexes"] = indexes;
    const std::string openShare =
        scalar(c,
               "SELECT round(avg((status NOT IN "
               "('answered','closed','rejected','duplicate'))::int), 3) FROM records");
    PQfinish(c);

    // A sample of codes for the lookups (uniform over the year), and the manifest.
    json codes = json::array();
    std::uniform_int_distribution<std::size_t> pick(0, nRecords - 1);
    for (int i = 0; i < 20000; ++i) {
        const RecordInfo& ri = info[pick(rng)];
        codes.push_back(
            rec::makeTrackingCode(ri.skgp ? rec::RecordType::Skgp : rec::RecordType::Pakn,
                                  kiosks[ri.kiosk], ri.sequence));
    }
    json cats = json::array();
    for (const auto& k : kCategories) cats.push_back(k.code);
    json j{{"records", nRecords},
           {"status_events", events.size()},
           {"kiosks", nKiosks},
           {"wards", wards},
           {"start", utc(t0)},
           {"end", utc(tEnd)},
           {"open_share", std::stod(openShare)},
           {"mean_content_bytes", double(contentBytes) / double(nRecords)},
           {"seconds",
            {{"records", recordsS},
             {"status_events", eventsS},
             {"vacuum_analyze", vacuumS},
             {"total", totalS}}},
           {"size", sizes}};
    json manifest = j;
    manifest["kiosk_ids"] = kiosks;
    manifest["keys_dir"] = (outDir / "keys").string();
    manifest["categories"] = cats;
    manifest["codes_sample"] = codes;
    std::ofstream(outDir / "manifest.json") << manifest.dump(1) << "\n";
    std::cout << "seeded " << nRecords << " records, " << events.size() << " status events, "
              << nKiosks << " kiosks in " << totalS << " s (records " << recordsS << " s, events "
              << eventsS << " s, vacuum/analyze " << vacuumS << " s); database "
              << humanBytes(double(sizes["database_bytes"].get<long long>())) << std::endl;
    if (!results.empty()) writeResult(results, "backend_seed", j);
    return 0;
}
