// The supervisors' CSV export and the access log through a real `kiosk-backend serve` on
// loopback (SQLite file, and a database in a private PostgreSQL cluster): 1,203 cases in two
// wards (three keyset pages of 500), logged in as each role over HTTP. Checks the streamed
// (chunked) reply, its rows (every case of the officer's scope once, in deadline order) and
// columns (contact details only for a supervisor who asks), 403 for an admin, and the access
// log's rows (who, the filter; no link to a case page for an export).
#include <catch2/catch.hpp>

#include <httplib.h>

#include <regex>
#include <set>

#include "backend_process.hpp"
#include "clock/clock.hpp"
#include "console/console.hpp"
#include "pg_cluster.hpp"
#include "record/record.hpp"
#include "storage/open_storage.hpp"
#include "test_support.hpp"

using namespace ksync;
using namespace ksync::backend;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kCases = 1203;
constexpr const char* kPassword = "export-test-password";

testsupport::PgCluster& cluster() {
    testsupport::PgClusterOptions o;
    o.fsync = false;
    static testsupport::PgCluster pg(o);
    return pg;
}

// n cases of kiosk 7K3M; even ones in ward W1 (every fourth with contact), odd ones in W2.
void seed(BackendStorage& s, int n) {
    std::vector<IngestItem> items;
    std::vector<CaseIndex> index;
    std::string prev(record::kGenesisHash);
    for (int i = 1; i <= n; ++i) {
        record::Record r;
        r.header.id = record::newUuid();
        r.header.kioskId = "7K3M";
        r.header.sequence = static_cast<std::uint64_t>(i);
        r.header.trackingCode =
            record::makeTrackingCode(record::RecordType::Pakn, "7K3M", r.header.sequence);
        r.header.category = "MOI_TRUONG";
        r.header.createdAt = "2026-11-23T04:05:06.789Z";
        r.header.prevHash = prev;
        r.content.salt = record::newSaltHex();
        r.content.title = "Rác thải";
        r.content.body = "Rác thải ở hẻm " + std::to_string(i);
        if (i % 4 == 0)
            r.content.contact = record::Contact{"Nguyễn Văn " + std::to_string(i),
                                                "09" + std::to_string(10000000 + i), "", ""};
        record::seal(r);
        prev = r.header.hash;
        items.push_back({r.header, "plain", record::encodeContent(r.content), true});
        index.push_back({r.header.id, i % 2 == 0 ? "W1" : "W2",
                         "2026-12-" + std::to_string(10 + i % 9), "rac thai o hem"});
    }
    for (std::size_t at = 0; at < items.size(); at += 250) {
        const auto n2 = std::min<std::size_t>(250, items.size() - at);
        auto r = s.ingest(std::span(items).subspan(at, n2),
                          platform::clock::unixMillis(platform::clock::now()));
        REQUIRE(r);
    }
    REQUIRE(s.indexCases(index));
}

struct Officer {
    httplib::Client c;
    std::string cookie;
    explicit Officer(int port) : c("127.0.0.1", port) {}

    void login(const std::string& name) {
        auto page = c.Get("/console/login");
        REQUIRE(page);
        std::smatch m;
        REQUIRE(
            std::regex_search(page->body, m, std::regex(R"re(name="csrf" value="([0-9a-f]+)")re")));
        const std::string csrf = m[1].str();
        std::string login = page->get_header_value("Set-Cookie");
        login = login.substr(0, login.find(';'));
        httplib::Headers h{{"Cookie", login}};
        auto r =
            c.Post("/console/login", h, "csrf=" + csrf + "&name=" + name + "&password=" + kPassword,
                   "application/x-www-form-urlencoded");
        REQUIRE(r);
        REQUIRE(r->status == 303);
        for (std::size_t i = 0; i < r->get_header_value_count("Set-Cookie"); ++i) {
            const std::string v = r->get_header_value("Set-Cookie", i);
            if (v.starts_with("kc_session=")) cookie = v.substr(0, v.find(';'));
        }
        REQUIRE_FALSE(cookie.empty());
    }
    httplib::Result get(const std::string& path) {
        return c.Get(path.c_str(), httplib::Headers{{"Cookie", cookie}});
    }
};

std::vector<std::string> lines(const std::string& body) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < body.size()) {
        const auto end = body.find("\r\n", at);
        if (end == std::string::npos) break;
        out.push_back(body.substr(at, end - at));
        at = end + 2;
    }
    return out;
}

std::vector<std::string> fields(const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char ch = line[i];
        if (quoted) {
            if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                cur += '"';
                ++i;
            } else if (ch == '"') {
                quoted = false;
            } else {
                cur += ch;
            }
        } else if (ch == '"') {
            quoted = true;
        } else if (ch == ',') {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += ch;
        }
    }
    out.push_back(cur);
    return out;
}

}  // namespace

TEST_CASE("console export: streamed CSV per role, contact only for a supervisor who asks, logged") {
    auto kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    testsupport::TempDir tmp;
    std::string database;
    if (kind == "sqlite") {
        database = "sqlite:" + (tmp / "cases.db").string();
    } else {
        static int s_db = 0;
        const std::string name = "export_" + std::to_string(++s_db);
        cluster().createDatabase(name);
        database = cluster().url(name);
    }
    {
        auto url = parseDatabaseUrl(database);
        REQUIRE(url);
        auto s = openStorage(*url);
        REQUIRE(s);
        seed(**s, static_cast<int>(kCases));
        for (const auto& [name, role, ward] :
             {std::tuple{"sup", "supervisor", ""}, {"w1", "ward", "W1"}, {"adm", "admin", ""}}) {
            ConsoleUser u;
            u.name = name;
            u.role = role;
            u.ward = ward;
            REQUIRE(addConsoleUser(**s, u, kPassword));
        }
    }
    testsupport::BackendProcess backend(database, tmp / "backend", {}, tmp / "backend.log");
    backend.start(0);

    Officer sup(backend.port()), ward(backend.port()), admin(backend.port());
    sup.login("sup");
    ward.login("w1");
    admin.login("adm");

    auto check = [&](Officer& o, const std::string& query, bool wantContact,
                     const std::set<std::string>& wards, std::size_t wantRows) {
        INFO(query);
        auto r = o.get("/console/export.csv?" + query);
        REQUIRE(r);
        REQUIRE(r->status == 200);
        CHECK(r->get_header_value("Transfer-Encoding") == "chunked");
        CHECK(r->get_header_value("Content-Type") == "text/csv; charset=utf-8");
        REQUIRE(r->body.starts_with("\xEF\xBB\xBF"));
        const auto ls = lines(r->body.substr(3));
        REQUIRE(ls.size() == wantRows + 1);
        const auto head = fields(ls[0]);
        CHECK(head.size() == (wantContact ? 15u : 11u));
        CHECK(head[0] == "code");
        CHECK((std::find(head.begin(), head.end(), "contact_phone") != head.end()) == wantContact);
        std::set<std::string> codes;
        std::string lastKey;
        std::size_t phones = 0;
        for (std::size_t i = 1; i < ls.size(); ++i) {
            const auto f = fields(ls[i]);
            REQUIRE(f.size() == head.size());
            codes.insert(f[0]);
            CHECK(wards.contains(f[3]));
            CHECK(f[8] >= lastKey.substr(0, 10));  // deadline order
            lastKey = f[8];
            if (wantContact && !f[12].empty()) {
                ++phones;
                CHECK(f[12].starts_with("09"));
                CHECK(f[11].starts_with("Nguyễn Văn "));
            }
        }
        CHECK(codes.size() == wantRows);  // every case once
        if (wantContact) CHECK(phones == kCases / 4);
        // No personal data in a CSV without the contact columns.
        if (!wantContact) CHECK(r->body.find("Nguyễn Văn") == std::string::npos);
    };
    check(sup, "tab=all", false, {"W1", "W2"}, kCases);
    check(sup, "tab=all&contact=1", true, {"W1", "W2"}, kCases);
    check(sup, "tab=all&ward=W2", false, {"W2"}, kCases / 2 + 1);
    // A ward officer gets the ward's cases, never the contact columns.
    check(ward, "tab=all", false, {"W1"}, kCases / 2);
    check(ward, "tab=all&contact=1", false, {"W1"}, kCases / 2);
    check(ward, "tab=all&ward=W2", false, {"W1"}, 0);  // the scope wins over the filter
    auto forbidden = admin.get("/console/export.csv?tab=all");
    REQUIRE(forbidden);
    CHECK(forbidden->status == 403);

    // The access log: each export with who and the filter; no case link for an export.
    auto log = sup.get("/console/access-log");
    REQUIRE(log);
    REQUIRE(log->status == 200);
    CHECK(log->body.find("/console/case/*") == std::string::npos);
    CHECK(log->body.find("/console/case/\"") == std::string::npos);
    CHECK(log->body.find("contact=1") != std::string::npos);
    CHECK(log->body.find("ward=W2") != std::string::npos);
    backend.stop();
    auto url = parseDatabaseUrl(database);
    REQUIRE(url);
    auto s = openStorage(*url);
    REQUIRE(s);
    auto rows = (*s)->accessLog(50);
    REQUIRE(rows);
    std::size_t exports = 0, withContact = 0;
    for (const auto& r : *rows) {
        if (r.what == "export" || r.what == "export_contact") ++exports;
        if (r.what == "export_contact") {
            ++withContact;
            CHECK(r.userName == "sup");
        }
        CHECK(r.trackingCode.empty());
    }
    CHECK(exports == 6);
    CHECK(withContact == 1);
}
