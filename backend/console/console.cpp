#include "console/console.hpp"

#include <sodium.h>
#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "calendar/working_days.hpp"
#include "clock/clock.hpp"
#include "console/admin.hpp"
#include "console/audit_cache.hpp"
#include "console/case_additions_view.hpp"
#include "console/export.hpp"
#include "proto/messages.hpp"
#include "record/record.hpp"
#include "record/tracking_code.hpp"
#include "service/chain_audit.hpp"
#include "service/search_fold.hpp"
#include "storage/tokens.hpp"
#include "text/assets.hpp"

namespace ksync::backend {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

namespace {

constexpr std::string_view kSessionCookie = "kc_session";
constexpr std::string_view kLoginCookie = "kc_login";
constexpr std::string_view kLangCookie = "kc_lang";
constexpr std::size_t kPageSize = 50;
constexpr std::size_t kMaxField = 200;  // filters, names, codes
constexpr std::size_t kMaxText = 8000;  // replies, notes, reasons
constexpr std::size_t kMaxFormBytes = 64 * 1024;

const char* const kTemplates[] = {"layout",     "login",   "inbox",     "case",   "users",
                                  "access_log", "message", "templates", "kiosks", "stats"};

// ---- small parsers ---------------------------------------------------------------------------

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string urlDecode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 &&
                   hexValue(s[i + 2]) >= 0) {
            out += static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string urlEncode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::map<std::string, std::string> parseForm(std::string_view body) {
    std::map<std::string, std::string> out;
    std::size_t start = 0;
    while (start <= body.size()) {
        auto end = body.find('&', start);
        if (end == std::string_view::npos) end = body.size();
        auto pair = body.substr(start, end - start);
        if (!pair.empty()) {
            auto eq = pair.find('=');
            auto key = urlDecode(pair.substr(0, eq));
            auto value =
                eq == std::string_view::npos ? std::string{} : urlDecode(pair.substr(eq + 1));
            out.emplace(std::move(key), std::move(value));
        }
        start = end + 1;
    }
    return out;
}

std::map<std::string, std::string> parseCookies(std::string_view header) {
    std::map<std::string, std::string> out;
    std::size_t start = 0;
    while (start < header.size()) {
        auto end = header.find(';', start);
        if (end == std::string_view::npos) end = header.size();
        auto part = header.substr(start, end - start);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        auto eq = part.find('=');
        if (eq != std::string_view::npos)
            out.emplace(std::string(part.substr(0, eq)), std::string(part.substr(eq + 1)));
        start = end + 1;
    }
    return out;
}

std::string randomHex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    std::string out(bytes * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                   raw.size());
    out.pop_back();
    return out;
}

bool sameSecret(const std::string& a, const std::string& b) {
    return !a.empty() && a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string clip(std::string s, std::size_t max) {
    if (s.size() <= max) return s;
    s.resize(max);
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
    return s;
}

// Bidi controls (U+200E/F, U+202A..U+202E, U+2066..U+2069) shown as visible text, so a
// resident's text cannot reorder what an officer reads.
std::string showBidi(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c0 = static_cast<unsigned char>(s[i]);
        if (c0 == 0xE2 && i + 2 < s.size()) {
            const auto c1 = static_cast<unsigned char>(s[i + 1]),
                       c2 = static_cast<unsigned char>(s[i + 2]);
            const unsigned cp = ((c0 & 0x0Fu) << 12) | ((c1 & 0x3Fu) << 6) | (c2 & 0x3Fu);
            if (cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
                (cp >= 0x2066 && cp <= 0x2069)) {
                static const char* hex = "0123456789ABCDEF";
                out += "[U+";
                for (int sh = 12; sh >= 0; sh -= 4) out += hex[(cp >> sh) & 15];
                out += "]";
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

std::string localTime(const std::string& utc) {
    auto t = platform::clock::parseUtc(utc);
    return t ? platform::clock::formatLocalVi(*t) : utc;
}

std::string viDate(const std::string& ymd) {
    if (ymd.size() != 10) return ymd;
    return ymd.substr(8, 2) + "/" + ymd.substr(5, 2) + "/" + ymd.substr(0, 4);
}

bool isClosed(std::string_view s) {
    return s == "answered" || s == "closed" || s == "rejected" || s == "duplicate";
}

std::string maskName(const std::string& name) {
    if (name.empty()) return {};
    std::string out;
    bool start = true;
    for (std::size_t i = 0; i < name.size();) {
        const auto c = static_cast<unsigned char>(name[i]);
        const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (name[i] == ' ') {
            out += ' ';
            start = true;
        } else if (start) {
            out += name.substr(i, len);
            start = false;
        } else {
            out += "•";
        }
        i += len;
    }
    return out;
}

std::string maskPhone(const std::string& phone) {
    if (phone.size() < 4) return phone.empty() ? std::string{} : "••••";
    return phone.substr(0, 2) + std::string(phone.size() - 4, '*') + phone.substr(phone.size() - 2);
}

// One CSV field: always quoted, quotes doubled; a leading = + - @ (a spreadsheet formula) is
// prefixed with ' so that opening the file runs nothing.
std::string csvField(const std::string& v) {
    std::string out = "\"";
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) out += '\'';
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

struct StatGroup {
    std::int64_t received = 0, answered = 0, onTime = 0, late = 0, open = 0, overdue = 0;
    std::vector<int> days;           // working days from commit to answer, per answered case
    SatisfactionCount satisfaction;  // the rated cases' current ratings (issue #14)
};

std::string median(std::vector<int> v) {
    if (v.empty()) return "";
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    if (n % 2 == 1) return std::to_string(v[n / 2]);
    const int twice = v[n / 2 - 1] + v[n / 2];
    return std::to_string(twice / 2) + (twice % 2 ? ",5" : "");
}

}  // namespace

// ---- the console
// ------------------------------------------------------------------------------------

struct Console::Impl {
    BackendStorage& storage;
    BackendService& service;
    ConsoleOptions options;
    std::map<std::string, std::string> templates;   // name -> text (checked at start)
    std::map<std::string, nlohmann::json> strings;  // lang -> {key without "console.", '.' as '_'}
    std::string css;

    struct Page {
        std::string lang = "vi";
        bool secure = false;
        std::optional<ConsoleUser> user;
        std::optional<ConsoleSession> session;
        std::string sessionHash;
        std::vector<std::string> setCookies;
    };

    // Public statistics, recomputed at most once a minute (a scan of every case).
    struct Stats {
        std::map<std::string, std::map<std::string, StatGroup>>
            by;  // "ward"/"agency"/"month" -> key
        std::int64_t computedMs = 0;
        std::string computedAt;
    };
    std::mutex statsMutex;
    std::shared_ptr<const Stats> stats;
    bool statsRefreshing = false;  // under statsMutex
    // lang + ".html"/".csv" -> (computedMs of the statistics, rendered part), under statsMutex
    std::map<std::string, std::pair<std::int64_t, std::string>> statsRendered = {};
    std::thread statsThread = {};  // the background refresh; joined before the next and at the end
    ChainAuditCache auditCache = {};

    ~Impl() {
        std::thread t;
        {
            std::lock_guard lock(statsMutex);
            t = std::move(statsThread);
        }
        if (t.joinable()) t.join();
    }

    std::int64_t now() const {
        return options.nowMs ? options.nowMs()
                             : platform::clock::unixMillis(platform::clock::now());
    }

    calendar::Date today() const { return calendar::localDateAt(now()); }

    const std::string& t(const Page& p, const std::string& key) const {
        static const std::string empty;
        const auto& table = strings.at(p.lang);
        auto it = table.find(key);
        if (it == table.end()) {
            auto vi = strings.at("vi").find(key);
            if (vi == strings.at("vi").end()) return empty;
            return vi->get_ref<const std::string&>();
        }
        return it->get_ref<const std::string&>();
    }

    data stringsData(const Page& p) const {
        data d;
        for (const auto& [k, v] : strings.at("vi").items()) d.set(k, v.get<std::string>());
        for (const auto& [k, v] : strings.at(p.lang).items()) d.set(k, v.get<std::string>());
        return d;
    }

    std::string render(const std::string& name, data& d) const {
        mustache tmpl(templates.at(name));
        return tmpl.render(d);
    }

    std::string cookie(std::string_view name, const std::string& value, const Page& p,
                       std::string_view extra = {}) const {
        std::string c =
            std::string(name) + "=" + value + "; Path=/console; HttpOnly; SameSite=Strict";
        if (p.secure) c += "; Secure";
        if (!extra.empty()) c += "; " + std::string(extra);
        return c;
    }

    HttpReply finish(HttpReply r, const Page& p) const {
        r.headers["Content-Security-Policy"] =
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'; "
            "base-uri 'none'";
        r.headers["X-Content-Type-Options"] = "nosniff";
        r.headers["Referrer-Policy"] = "no-referrer";
        r.headers["Cache-Control"] = "no-store";
        r.headers["X-Frame-Options"] = "DENY";
        // httplib keeps one value per header name in our map: several cookies are joined by
        // the adapter (see http_server.cpp, "Set-Cookie").
        for (std::size_t i = 0; i < p.setCookies.size(); ++i)
            r.headers["Set-Cookie" + (i ? "#" + std::to_string(i) : std::string{})] =
                p.setCookies[i];
        return r;
    }

    HttpReply page(const Page& p, int status, const std::string& title,
                   const std::string& body) const {
        data d = stringsData(p);
        data layout;
        layout.set("t", d);
        layout.set("lang", p.lang);
        layout.set("title", title);
        layout.set("body", body);
        layout.set("other_lang", p.lang == "vi" ? "en" : "vi");
        layout.set("other_lang_name", p.lang == "vi" ? "English" : "Tiếng Việt");
        if (p.user) {
            data u;
            u.set("name", p.user->name);
            u.set("role", t(p, "role_" + p.user->role));
            u.set("csrf", p.session ? p.session->csrf : std::string{});
            u.set("sees_cases", p.user->role != "admin");
            u.set("supervisor", p.user->role == "supervisor");
            u.set("admin", p.user->role == "admin");
            layout.set("user", u);
        }
        HttpReply r;
        r.status = status;
        r.contentType = "text/html; charset=utf-8";
        r.body = render("layout", layout);
        return finish(std::move(r), p);
    }

    HttpReply message(const Page& p, int status, const std::string& key) const {
        data d;
        d.set("t", stringsData(p));
        d.set("text", t(p, key));
        return page(p, status, t(p, key), render("message", d));
    }

    HttpReply redirect(const Page& p, const std::string& to) const {
        HttpReply r;
        r.status = 303;
        r.contentType = "text/plain; charset=utf-8";
        r.headers["Location"] = to;
        return finish(std::move(r), p);
    }

    HttpReply storageError(const Page& p, const StorageError& e) const {
        service.log("console storage error" + std::string(e.transient ? " (transient)" : "") +
                    ": " + e.detail);
        auto r = message(p, e.transient ? 503 : 500, "error_storage");
        if (e.transient) r.headers["Retry-After"] = "2";
        return r;
    }

    // --- request context ----------------------------------------------------------------------

    bool isHttps(const HttpRequestView& req) const {
        const bool trusted = std::find(options.trustedProxies.begin(), options.trustedProxies.end(),
                                       req.remoteAddr) != options.trustedProxies.end();
        return trusted && req.header("x-forwarded-proto") == "https";
    }

    // The page context; an expired or unknown session is dropped (and the cookie cleared).
    std::expected<Page, StorageError> context(const HttpRequestView& req) {
        Page p;
        p.secure = isHttps(req);
        const auto cookies = parseCookies(req.header("cookie"));
        if (auto it = cookies.find(std::string(kLangCookie));
            it != cookies.end() && it->second == "en")
            p.lang = "en";
        auto it = cookies.find(std::string(kSessionCookie));
        if (it == cookies.end() || it->second.empty() || it->second.size() > 128) return p;
        const std::string hash = record::sha256Hex(it->second);
        auto s = storage.consoleSession(hash);
        if (!s) return std::unexpected(s.error());
        if (!*s) {
            p.setCookies.push_back(cookie(kSessionCookie, "", p, "Max-Age=0"));
            return p;
        }
        const std::int64_t nowMs = now();
        if (nowMs - (*s)->lastMs > options.idleTimeoutMs) {
            if (auto d = storage.deleteConsoleSession(hash); !d) return std::unexpected(d.error());
            p.setCookies.push_back(cookie(kSessionCookie, "", p, "Max-Age=0"));
            return p;
        }
        auto u = storage.consoleUser((*s)->userName);
        if (!u) return std::unexpected(u.error());
        if (!*u || (*u)->disabled) {
            if (auto d = storage.deleteConsoleSession(hash); !d) return std::unexpected(d.error());
            p.setCookies.push_back(cookie(kSessionCookie, "", p, "Max-Age=0"));
            return p;
        }
        if (auto tch = storage.touchConsoleSession(hash, nowMs); !tch)
            return std::unexpected(tch.error());
        p.user = **u;
        p.session = **s;
        p.sessionHash = hash;
        return p;
    }

    bool canSee(const ConsoleUser& u, const CaseRow& c) const {
        if (u.role == "supervisor") return true;
        if (u.role == "ward") return !u.ward.empty() && c.ward == u.ward;
        if (u.role == "agency") return !u.agency.empty() && c.agency == u.agency;
        return false;
    }

    // --- public statistics (/thong-ke, no login) -----------------------------------------------

    // The statistics to show: fresh ones (< 1 minute) as they are; stale ones are shown while
    // one background thread computes the next (a scan of every case: ~seconds at 1,000,000, see
    // docs/BENCHMARKS.md), so no request waits for the scan except the first of the process.
    std::expected<std::shared_ptr<const Stats>, StorageError> currentStats() {
        const std::int64_t nowMs = now();
        {
            std::lock_guard lock(statsMutex);
            if (stats && nowMs - stats->computedMs < 60 * 1000) return stats;
            if (stats) {
                if (!statsRefreshing) {
                    statsRefreshing = true;
                    if (statsThread.joinable()) statsThread.join();
                    statsThread = std::thread([this] {
                        auto fresh = computeStats();
                        std::lock_guard l(statsMutex);
                        if (fresh) stats = *fresh;  // an error keeps the old ones until next time
                        statsRefreshing = false;
                    });
                }
                return stats;
            }
        }
        auto fresh = computeStats();
        if (!fresh) return std::unexpected(fresh.error());
        std::lock_guard lock(statsMutex);
        stats = *fresh;
        return stats;
    }

    std::expected<std::shared_ptr<const Stats>, StorageError> computeStats() {
        const std::int64_t nowMs = now();
        const auto cfg = service.servedConfig();
        const auto cal = proto::workingCalendar(cfg);
        const auto todayDate = today();
        auto out = std::make_shared<Stats>();
        auto ratings = ratingsByCase(storage);
        if (!ratings) return std::unexpected(ratings.error());
        std::int64_t after = 0;
        for (;;) {
            auto page = storage.casesAfter(after, 2000);
            if (!page) return std::unexpected(page.error());
            if (page->empty()) break;
            after = page->back().rid;
            for (const auto& c : *page) {
                const auto created = calendar::localDateOf(c.createdAt);
                const auto deadline = calendar::parseIsoDate(c.deadline);
                const bool answered = c.status == "answered" || c.status == "closed";
                const bool open = !isClosed(c.status);
                std::optional<calendar::Date> answeredOn;
                if (answered) answeredOn = calendar::localDateOf(c.statusUpdated);
                const bool overdue = open && deadline && *deadline < todayDate;
                const bool onTime =
                    answered && answeredOn && deadline && !(*deadline < *answeredOn);
                const bool lateAnswer =
                    answered && answeredOn && deadline && *deadline < *answeredOn;
                const std::string month =
                    created ? calendar::formatIsoDate(*created).substr(0, 7) : std::string("?");
                const auto rating = ratings->find(c.trackingCode);
                for (const auto& [dim, key] : {std::pair<std::string, std::string>{"ward", c.ward},
                                               {"agency", c.agency},
                                               {"month", month}}) {
                    if (dim == "agency" && key.empty()) continue;  // never forwarded
                    auto& g = out->by[dim][key];
                    ++g.received;
                    if (answered) ++g.answered;
                    if (onTime) ++g.onTime;
                    if (lateAnswer || overdue) ++g.late;
                    if (open) ++g.open;
                    if (overdue) ++g.overdue;
                    if (rating != ratings->end()) g.satisfaction.add(rating->second);
                    if (answered && answeredOn && created)
                        g.days.push_back(
                            std::max(0, cal.workingDaysBetween(*created, *answeredOn)));
                }
            }
        }
        out->computedMs = nowMs;
        out->computedAt =
            localTime(platform::clock::formatUtc(platform::clock::fromUnixMillis(nowMs)));
        return std::shared_ptr<const Stats>(std::move(out));
    }

    HttpReply statsPage(Page& p, bool csv) {
        auto st = currentStats();
        if (!st) return storageError(p, st.error());
        // The rendered tables are kept with the statistics they show (rendering ~200 rows costs
        // ~30 ms at a city's size); the layout around them is made per request.
        const std::string cacheKey = p.lang + (csv ? ".csv" : ".html");
        std::optional<std::string> kept;
        {
            std::lock_guard lock(statsMutex);
            if (auto it = statsRendered.find(cacheKey);
                it != statsRendered.end() && it->second.first == (*st)->computedMs)
                kept = it->second.second;
        }
        if (kept && !csv) return page(p, 200, t(p, "stats_title"), *kept);
        if (kept) {
            HttpReply r;
            r.contentType = "text/csv; charset=utf-8";
            r.headers["Content-Disposition"] = "attachment; filename=\"thong-ke.csv\"";
            r.body = std::move(*kept);
            return finish(std::move(r), p);
        }
        auto reply = renderStats(p, csv, **st);
        std::lock_guard lock(statsMutex);
        statsRendered[cacheKey] = {(*st)->computedMs, reply.second};
        return std::move(reply.first);
    }

    // The page or CSV of `st`, and the part of it that can be kept (the tables, the CSV body).
    std::pair<HttpReply, std::string> renderStats(Page& p, bool csv, const Stats& shown) {
        const Stats* st = &shown;
        const auto cfg = service.servedConfig();
        const auto wards = wardNames(cfg);
        auto nameOf = [&](const std::string& dim, const std::string& key) {
            if (dim == "ward")
                return key.empty() ? t(p, "stats_no_ward")
                                   : (wards.contains(key) ? wards.at(key) : key);
            if (dim == "month")
                return key.size() == 7 ? key.substr(5, 2) + "/" + key.substr(0, 4) : key;
            return key;
        };
        if (csv) {
            std::string body =
                "dimension,key,name,received,answered,answered_on_time,late,open,overdue,median_"
                "working_days," +
                std::string(kSatisfactionCsvColumns) + "\r\n";
            for (const char* dim : {"ward", "agency", "month"}) {
                auto it = st->by.find(dim);
                if (it == st->by.end()) continue;
                for (const auto& [key, g] : it->second)
                    body += csvField(dim) + "," + csvField(key) + "," + csvField(nameOf(dim, key)) +
                            "," + std::to_string(g.received) + "," + std::to_string(g.answered) +
                            "," + std::to_string(g.onTime) + "," + std::to_string(g.late) + "," +
                            std::to_string(g.open) + "," + std::to_string(g.overdue) + "," +
                            csvField(median(g.days)) + "," + satisfactionCsv(g.satisfaction) +
                            "\r\n";
            }
            HttpReply r;
            r.contentType = "text/csv; charset=utf-8";
            r.headers["Content-Disposition"] = "attachment; filename=\"thong-ke.csv\"";
            r.body = "\xEF\xBB\xBF" + body;  // a BOM, so that spreadsheets read UTF-8
            std::string kept = r.body;
            return {finish(std::move(r), p), std::move(kept)};
        }
        data d;
        d.set("t", stringsData(p));
        d.set("computed_at", st->computedAt);
        data tables{data::type::list};
        for (const char* dim : {"ward", "agency", "month"}) {
            data table;
            table.set("title", t(p, std::string("stats_by_") + dim));
            data rows{data::type::list};
            if (auto it = st->by.find(dim); it != st->by.end()) {
                for (const auto& [key, g] : it->second) {
                    data x;
                    x.set("name", nameOf(dim, key));
                    x.set("received", std::to_string(g.received));
                    x.set("answered", std::to_string(g.answered));
                    x.set("on_time", std::to_string(g.onTime));
                    x.set("late", std::to_string(g.late));
                    x.set("open", std::to_string(g.open));
                    x.set("overdue", std::to_string(g.overdue));
                    x.set("median", median(g.days));
                    setSatisfaction(x, g.satisfaction);
                    rows.push_back(x);
                }
            }
            table.set("rows", rows);
            tables.push_back(table);
        }
        d.set("tables", tables);
        std::string html = render("stats", d);
        auto r = page(p, 200, t(p, "stats_title"), html);
        return {std::move(r), std::move(html)};
    }

    // --- routes ---------------------------------------------------------------------------------

    HttpReply handle(const HttpRequestView& req) {
        auto ctx = context(req);
        if (!ctx) {
            Page p;
            return storageError(p, ctx.error());
        }
        Page& p = *ctx;
        if (req.path == "/thong-ke" || req.path == "/thong-ke.csv") {
            if (req.method != "GET") return message(p, 405, "error_method");
            if (auto it = req.query.find("lang");
                it != req.query.end() && (it->second == "en" || it->second == "vi"))
                p.lang = it->second;
            return statsPage(p, req.path == "/thong-ke.csv");
        }
        std::string path = req.path;
        if (path == "/console") path = "/console/";
        const bool post = req.method == "POST";
        if (req.method != "GET" && !post) return message(p, 405, "error_method");
        std::map<std::string, std::string> form;
        if (post) {
            if (req.body.size() > kMaxFormBytes) return message(p, 413, "error_too_large");
            form = parseForm(req.body);
        }

        if (path == "/console/static/console.css" && !post) {
            HttpReply r;
            r.contentType = "text/css; charset=utf-8";
            r.body = css;
            r.headers["Cache-Control"] = "max-age=3600";
            r.headers["X-Content-Type-Options"] = "nosniff";
            return r;
        }
        if (path == "/console/lang" && !post) {
            const std::string l =
                req.query.contains("l") && req.query.at("l") == "en" ? "en" : "vi";
            p.setCookies.push_back(cookie(kLangCookie, l, p, "Max-Age=31536000"));
            return redirect(p, "/console/");
        }
        if (path == "/console/login") return post ? loginPost(p, form, req) : loginPage(p, {}, "");

        // Everything else needs a session; every POST needs its CSRF token.
        if (!p.user) {
            if (post) return message(p, 403, "error_csrf");
            return redirect(p, "/console/login");
        }
        if (post) {
            auto c = form.find("csrf");
            if (c == form.end() || !sameSecret(c->second, p.session->csrf))
                return message(p, 403, "error_csrf");
        }
        if (path == "/console/logout" && post) {
            if (auto d = storage.deleteConsoleSession(p.sessionHash); !d)
                return storageError(p, d.error());
            p.setCookies.push_back(cookie(kSessionCookie, "", p, "Max-Age=0"));
            p.user.reset();
            return redirect(p, "/console/login");
        }
        if (path == "/console/" && !post)
            return redirect(p, p.user->role == "admin" ? "/console/users" : "/console/inbox");
        if (path == "/console/inbox" && !post) return inbox(p, req.query);
        if (path == "/console/export.csv" && !post) return inbox(p, req.query, true);
        if (path == "/console/access-log" && !post) return accessLogPage(p);
        if (path == "/console/users") return post ? usersPost(p, form) : usersPage(p, "");
        if (path == "/console/templates")
            return post ? templatesPost(p, form) : templatesPage(p, req.query, "");
        if (path == "/console/kiosks" && !post) return kiosksPage(p);
        if (path.starts_with("/console/admin/")) return adminPage(p, path, post, req.query, form);
        const std::string casePrefix = "/console/case/";
        if (path.starts_with(casePrefix)) {
            std::string rest = path.substr(casePrefix.size());
            std::string action;
            if (auto slash = rest.find('/'); slash != std::string::npos) {
                action = rest.substr(slash + 1);
                rest = rest.substr(0, slash);
            }
            if (!post && action.empty()) {
                std::int64_t tpl = 0;
                if (auto it = req.query.find("tpl"); it != req.query.end()) {
                    try {
                        tpl = std::stoll(it->second);
                    } catch (...) {
                        tpl = 0;
                    }
                }
                return casePage(p, rest, false, "", tpl);
            }
            if (post && action == "contact") return casePage(p, rest, true, "");
            if (post && action == "action") return caseAction(p, rest, form);
        }
        return message(p, 404, "error_not_found");
    }

    // --- login
    // ------------------------------------------------------------------------------------

    HttpReply loginPage(Page& p, const std::string& name, const std::string& errorKey,
                        int status = 200) {
        const std::string token = randomHex(16);
        p.setCookies.push_back(cookie(kLoginCookie, token, p));
        data d;
        d.set("t", stringsData(p));
        d.set("csrf", token);
        d.set("name", name);
        if (!errorKey.empty()) d.set("error", t(p, errorKey));
        return page(p, status, t(p, "login_title"), render("login", d));
    }

    HttpReply loginPost(Page& p, const std::map<std::string, std::string>& form,
                        const HttpRequestView& req) {
        const auto cookies = parseCookies(req.header("cookie"));
        auto c = cookies.find(std::string(kLoginCookie));
        auto f = form.find("csrf");
        if (c == cookies.end() || f == form.end() || !sameSecret(c->second, f->second))
            return message(p, 403, "error_csrf");
        const std::string name =
            clip(form.contains("name") ? form.at("name") : std::string{}, kMaxField);
        const std::string password =
            form.contains("password") ? form.at("password") : std::string{};
        auto u = storage.consoleUser(name);
        if (!u) return storageError(p, u.error());
        const std::int64_t nowMs = now();
        if (*u && (*u)->lockedUntilMs > nowMs) return loginPage(p, name, "login_locked", 429);
        // An unknown name costs a hash too, so timing does not tell which names exist.
        bool ok = false;
        if (*u)
            ok = verifyPassword((*u)->passwordHash, password);
        else
            (void)hashPassword(password);
        if (!ok || !*u || (*u)->disabled) {
            if (*u) {
                if (auto n =
                        storage.noteLogin(name, false, options.maxFailures, nowMs + options.lockMs);
                    !n)
                    return storageError(p, n.error());
                auto again = storage.consoleUser(name);
                if (again && *again && (*again)->lockedUntilMs > nowMs) {
                    service.log("console: account locked after repeated wrong passwords");
                    return loginPage(p, name, "login_locked", 429);
                }
            }
            return loginPage(p, name, "login_failed", 401);
        }
        if (auto n = storage.noteLogin(name, true, options.maxFailures, 0); !n)
            return storageError(p, n.error());
        const std::string token = randomHex(32);
        ConsoleSession s{record::sha256Hex(token), name, randomHex(32), nowMs, nowMs};
        if (auto a = storage.addConsoleSession(s); !a) return storageError(p, a.error());
        p.setCookies.push_back(cookie(kSessionCookie, token, p));
        p.setCookies.push_back(cookie(kLoginCookie, "", p, "Max-Age=0"));
        return redirect(p, (*u)->role == "admin" ? "/console/users" : "/console/inbox");
    }

    // --- inbox
    // ------------------------------------------------------------------------------------

    std::map<std::string, std::string> categoryNames(const proto::BackendConfig& cfg,
                                                     const Page& p) const {
        std::map<std::string, std::string> out;
        // Removed categories first: old cases keep their names (a code in use wins).
        for (const auto* list : {&cfg.removedCategories, &cfg.categories})
            for (const auto& c : *list)
                out[c.code] = p.lang == "en" && !c.nameEn.empty() ? c.nameEn : c.nameVi;
        return out;
    }

    std::map<std::string, std::string> wardNames(const proto::BackendConfig& cfg) const {
        std::map<std::string, std::string> out;
        for (const auto& w : cfg.wards) out[w.code] = w.name;
        return out;
    }

    std::string statusLabel(const Page& p, const std::string& s) const {
        const std::string key = "status_" + (s.empty() ? std::string("new") : s);
        const auto& v = t(p, key);
        return v.empty() ? s : v;
    }

    // Marks a deadline: overdue / due soon (<= 2 working days) / empty.
    std::string deadlineMark(const calendar::WorkingCalendar& cal, const std::string& deadline,
                             const std::string& status) const {
        if (deadline.empty() || isClosed(status)) return {};
        auto d = calendar::parseIsoDate(deadline);
        if (!d) return {};
        const auto st = calendar::standing(cal, today(), *d);
        if (st.kind == calendar::Standing::Kind::Overdue) return "overdue";
        if (st.kind == calendar::Standing::Kind::DueToday || st.workingDays <= 2) return "due_soon";
        return {};
    }

    HttpReply inbox(Page& p, const std::map<std::string, std::string>& query,
                    bool exportCsv = false) {
        if (p.user->role == "admin") return message(p, 403, "error_forbidden");
        auto q = [&](const char* k) {
            return query.contains(k) ? clip(query.at(k), kMaxField) : std::string{};
        };
        const auto cfg = service.servedConfig();
        const auto cal = proto::workingCalendar(cfg);
        CaseQuery cq;
        if (p.user->role == "ward") cq.scopeWard = p.user->ward;
        if (p.user->role == "agency") cq.scopeAgency = p.user->agency;
        cq.ward = q("ward");
        cq.category = q("category");
        cq.type = q("type");
        cq.status = q("status");
        cq.kiosk = q("kiosk");
        cq.channel = q("channel");
        cq.createdFrom = q("from");
        cq.createdTo = q("to");
        const std::string search = q("q");
        cq.search = foldForSearch(search);
        std::string tab = q("tab");
        if (tab.empty()) tab = "new";
        const auto todayDate = today();
        if (tab == "new") {
            cq.statusIn = {""};
        } else if (tab == "due_soon") {
            cq.openOnly = true;
            cq.deadlineFrom = calendar::formatIsoDate(todayDate);
            cq.deadlineTo = calendar::formatIsoDate(cal.addWorkingDays(todayDate, 2));
        } else if (tab == "overdue") {
            cq.openOnly = true;
            cq.deadlineTo = calendar::formatIsoDate(calendar::addDays(todayDate, -1));
        } else if (tab == "waiting") {
            cq.statusIn = {"needs_info"};
        } else if (tab == "answered") {
            cq.statusIn = {"answered", "closed"};
        } else if (tab == "open") {
            cq.openOnly = true;
        } else {
            tab = "all";
        }
        const std::string after = q("after");
        if (auto tilde = after.find('~'); tilde != std::string::npos) {
            try {
                cq.afterRid = std::stoll(after.substr(tilde + 1));
                cq.afterDeadline = after.substr(0, tilde);
                cq.hasCursor = true;
            } catch (...) {
                cq.hasCursor = false;
            }
        }
        if (exportCsv) return exportCases(p, cq, cfg, query);
        cq.limit = kPageSize;
        auto rows = storage.cases(cq);
        if (!rows) return storageError(p, rows.error());
        const auto cats = categoryNames(cfg, p);
        const auto wards = wardNames(cfg);
        data list{data::type::list};
        for (const auto& c : *rows) {
            data r;
            r.set("code", c.trackingCode);
            r.set("type", t(p, "type_" + c.type));
            r.set("category", cats.contains(c.category) ? cats.at(c.category) : c.category);
            r.set("ward", wards.contains(c.ward) ? wards.at(c.ward) : c.ward);
            r.set("kiosk", c.kioskId);
            r.set("created", localTime(c.createdAt));
            r.set("deadline", viDate(c.deadline));
            const auto mark = deadlineMark(cal, c.deadline, c.status);
            if (!mark.empty()) {
                r.set("mark", mark);
                r.set("mark_text", t(p, "mark_" + mark));
            }
            r.set("status", statusLabel(p, c.status));
            r.set("agency", c.agency);
            list.push_back(r);
        }
        data d;
        d.set("t", stringsData(p));
        d.set("rows", list);
        d.set("empty", rows->empty());
        // Tabs and filters keep each other.
        std::string keep;
        for (const char* k :
             {"ward", "category", "type", "status", "kiosk", "channel", "from", "to", "q"})
            if (!q(k).empty()) keep += std::string("&") + k + "=" + urlEncode(q(k));
        data tabs{data::type::list};
        for (const char* k : {"new", "due_soon", "overdue", "waiting", "answered", "open", "all"}) {
            data x;
            x.set("href", "/console/inbox?tab=" + std::string(k) + keep);
            x.set("label", t(p, std::string("tab_") + k));
            x.set("current", tab == k);
            tabs.push_back(x);
        }
        d.set("tabs", tabs);
        d.set("tab", tab);
        for (const char* k :
             {"ward", "category", "type", "status", "kiosk", "channel", "from", "to", "q"})
            d.set(std::string("f_") + k, q(k));
        data catList{data::type::list};
        for (const auto& c : cfg.categories) {
            data x;
            x.set("code", c.code);
            x.set("name", cats.at(c.code));
            x.set("selected", c.code == cq.category);
            catList.push_back(x);
        }
        d.set("categories", catList);
        data wardList{data::type::list};
        for (const auto& w : cfg.wards) {
            data x;
            x.set("code", w.code);
            x.set("name", w.name);
            x.set("selected", w.code == cq.ward);
            wardList.push_back(x);
        }
        d.set("wards", wardList);
        data statusList{data::type::list};
        for (const char* s : {"received", "forwarded", "needs_info", "answered", "closed",
                              "rejected", "duplicate"}) {
            data x;
            x.set("code", s);
            x.set("name", statusLabel(p, s));
            x.set("selected", cq.status == s);
            statusList.push_back(x);
        }
        d.set("statuses", statusList);
        d.set("ch_kiosk", cq.channel == "kiosk");
        d.set("ch_staff", cq.channel == "staff_entry");
        d.set("type_pakn", cq.type == "PAKN");
        d.set("type_skgp", cq.type == "SKGP");
        if (rows->size() == kPageSize) {
            const auto& last = rows->back();
            d.set("next", "/console/inbox?tab=" + tab + keep + "&after=" +
                              urlEncode(last.deadline + "~" + std::to_string(last.rid)));
        }
        d.set("can_export", true);  // every role that sees cases, within its scope
        d.set("export", "/console/export.csv?tab=" + tab + keep);
        if (p.user->role == "supervisor")
            d.set("export_contact", "/console/export.csv?tab=" + tab + keep + "&contact=1");
        return page(p, 200, t(p, "inbox_title"), render("inbox", d));
    }

    // The inbox's selection as CSV, streamed (console/export.hpp), within the officer's scope.
    // Contact details only for supervisors who ask for them (contact=1). Written to the access
    // log first, with the filter.
    HttpReply exportCases(Page& p, CaseQuery cq, const proto::BackendConfig& cfg,
                          const std::map<std::string, std::string>& query) {
        CaseExport e;
        e.categoryNames = categoryNames(cfg, p);
        e.wardNames = wardNames(cfg);
        e.contact =
            p.user->role == "supervisor" && query.contains("contact") && query.at("contact") == "1";
        cq.hasCursor = false;
        e.query = std::move(cq);
        std::string detail;
        for (const auto& [k, v] : query)
            if (k != "after")
                detail += (detail.empty() ? "" : " & ") + k + "=" + clip(v, kMaxField);
        if (auto a = storage.addAccessLog(
                {p.user->name, "", e.contact ? "export_contact" : "export", {}, detail});
            !a)
            return storageError(p, a.error());
        HttpReply r;
        r.contentType = "text/csv; charset=utf-8";
        r.headers["Content-Disposition"] = "attachment; filename=\"ho-so.csv\"";
        r.stream = streamCaseExport(storage, std::move(e), [this](const StorageError& err) {
            service.log("console export ended early: storage error" +
                        std::string(err.transient ? " (transient)" : "") + ": " + err.detail);
        });
        return finish(std::move(r), p);
    }

    // --- case page
    // --------------------------------------------------------------------------------

    std::expected<CaseRow, HttpReply> findCase(Page& p, const std::string& raw) {
        auto code = record::parseTrackingCode(raw);
        if (!code) return std::unexpected(message(p, 404, "error_not_found"));
        auto row = storage.caseByCode(code->text());
        if (!row) return std::unexpected(storageError(p, row.error()));
        if (!*row) return std::unexpected(message(p, 404, "error_not_found"));
        if (!canSee(*p.user, **row)) return std::unexpected(message(p, 403, "error_forbidden"));
        return **row;
    }

    HttpReply casePage(Page& p, const std::string& raw, bool showContact,
                       const std::string& errorKey, std::int64_t templateId = 0) {
        auto found = findCase(p, raw);
        if (!found) return found.error();
        const CaseRow& c = *found;
        auto stored = storage.recordByCode(c.trackingCode);
        if (!stored) return storageError(p, stored.error());
        if (!*stored) return message(p, 404, "error_not_found");
        const auto content = record::decodeContent((*stored)->content);
        auto pub = storage.publicRecord(c.trackingCode);
        if (!pub) return storageError(p, pub.error());
        auto notes = storage.caseNotes(c.trackingCode);
        if (!notes) return storageError(p, notes.error());
        const auto cfg = service.servedConfig();
        const auto cal = proto::workingCalendar(cfg);
        const auto cats = categoryNames(cfg, p);
        const auto wards = wardNames(cfg);
        const auto& h = (*stored)->header;
        data d;
        d.set("t", stringsData(p));
        d.set("code", c.trackingCode);
        d.set("csrf", p.session->csrf);
        d.set("type", t(p, "type_" + c.type));
        d.set("category", cats.contains(c.category) ? cats.at(c.category) : c.category);
        d.set("ward", wards.contains(c.ward) ? wards.at(c.ward) : c.ward);
        d.set("status", statusLabel(p, c.status));
        d.set("agency", c.agency);
        d.set("deadline", viDate(c.deadline));
        const auto mark = deadlineMark(cal, c.deadline, c.status);
        if (!mark.empty()) {
            d.set("mark", mark);
            d.set("mark_text", t(p, "mark_" + mark));
        }
        d.set("created", localTime(c.createdAt));
        d.set("received", localTime(c.receivedAt));
        d.set("channel", t(p, "channel_" + c.channel));
        d.set("staff_assisted", h.staffAssisted);
        d.set("kiosk", c.kioskId);
        d.set("clock_synced", h.clockSynced);
        if (content) {
            d.set("title", showBidi(content->title));
            d.set("body", showBidi(content->body));
            if (content->location) d.set("place", showBidi(content->location->address));
            if (content->contact) {
                const auto& k = *content->contact;
                data contact;
                if (showContact) {
                    contact.set("name", showBidi(k.name));
                    contact.set("phone", k.phone);
                    contact.set("email", showBidi(k.email));
                    contact.set("address", showBidi(k.address));
                    contact.set("shown", true);
                } else {
                    contact.set("name", maskName(k.name));
                    contact.set("phone", maskPhone(k.phone));
                    contact.set("email", k.email.empty() ? std::string{} : std::string("•••@•••"));
                    contact.set("address", k.address.empty() ? std::string{} : std::string("•••"));
                }
                d.set("contact", contact);
            } else {
                d.set("anonymous", true);
            }
        } else {
            d.set("unreadable", true);
        }
        // The kiosk's hash chain as the audit sees it.
        // (cached per kiosk until a record of it arrives: console/audit_cache.hpp)
        auto problems = auditCache.problems(storage, c.kioskId);
        if (!problems) return storageError(p, problems.error());
        d.set("chain_ok", *problems == 0 && (*stored)->intact);
        d.set("chain_problems", std::to_string(*problems));
        d.set("intact", (*stored)->intact);
        data timeline{data::type::list};
        const PublicRecord timelineOf = pub->value_or(PublicRecord{});
        for (const auto& e : timelineOf.events) {
            data x;
            x.set("when", localTime(e.updatedAt));
            x.set("status", statusLabel(p, e.status));
            x.set("note", showBidi(e.note));
            x.set("agency", e.agency);
            x.set("officer", e.officer);
            x.set("expected", viDate(e.expectedDate));
            timeline.push_back(x);
        }
        d.set("timeline", timeline);
        // What the resident added later: supplements, ratings, reopen requests (issue #14).
        const AdditionsText words{[&](const std::string& k) { return t(p, k); }, showBidi,
                                  localTime};
        if (auto a = addCaseAdditions(d, storage, c.trackingCode, words); !a)
            return storageError(p, a.error());
        data noteList{data::type::list};
        for (const auto& n : *notes) {
            data x;
            x.set("when", localTime(n.at));
            x.set("who", n.userName);
            x.set("note", showBidi(n.note));
            noteList.push_back(x);
        }
        d.set("notes", noteList);
        d.set("has_notes", !notes->empty());
        d.set("can_act", p.user->role != "admin");
        // Reply templates of this category: links that fill the answer (no script needed).
        auto replies = storage.replyTemplates(c.category);
        if (!replies) return storageError(p, replies.error());
        data tplList{data::type::list};
        for (const auto& tp : *replies) {
            data x;
            x.set("id", std::to_string(tp.id));
            x.set("title", tp.title);
            tplList.push_back(x);
            if (tp.id == templateId) d.set("reply_text", tp.body);
        }
        d.set("templates", tplList);
        d.set("has_templates", !replies->empty());
        // The admins' agency list, offered as suggestions (free text still works for old names).
        data agencyList{data::type::list};
        for (const auto& a : cfg.agencies) {
            if (a.disabled) continue;
            data x;
            x.set("name", a.name);
            agencyList.push_back(x);
        }
        d.set("agencies", agencyList);
        d.set("closed", isClosed(c.status));
        if (!errorKey.empty()) d.set("error", t(p, errorKey));
        if (showContact && content && content->contact) {
            // Who saw it, when, which case: the access log table only (never the server log).
            if (auto a = storage.addAccessLog({p.user->name, c.trackingCode, "contact", {}}); !a)
                return storageError(p, a.error());
        }
        return page(p, errorKey.empty() ? 200 : 400, c.trackingCode, render("case", d));
    }

    // --- actions (each one a status event through applyStaffUpdate) ------------------------------

    HttpReply caseAction(Page& p, const std::string& raw,
                         const std::map<std::string, std::string>& form) {
        if (p.user->role == "admin") return message(p, 403, "error_forbidden");
        auto found = findCase(p, raw);
        if (!found) return found.error();
        const CaseRow& c = *found;
        auto f = [&](const char* k, std::size_t max = kMaxField) {
            return form.contains(k) ? clip(form.at(k), max) : std::string{};
        };
        auto trimmed = [](std::string s) {
            while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
            std::size_t i = 0;
            while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
            return s.substr(i);
        };
        const std::string action = f("action");
        const auto cfg = service.servedConfig();
        const auto cal = proto::workingCalendar(cfg);
        StaffUpdate u;
        u.code = c.trackingCode;
        u.officer = p.user->name;
        std::string internalNote, otherCode;
        auto days = [&](const char* k) -> std::optional<int> {
            try {
                const int n = std::stoi(f(k));
                if (n >= 1 && n <= 365) return n;
            } catch (...) {
            }
            return std::nullopt;
        };
        if (action == "acknowledge") {
            u.status = "received";
            u.note = t(p, "note_acknowledged");
            u.expectedDate = c.deadline;
        } else if (action == "forward" || action == "reassign") {
            u.status = "forwarded";
            // A former name (a page loaded before an admin renamed the agency) is the agency.
            u.agency = cfg.currentAgencyName(trimmed(f("agency")));
            u.officer = trimmed(f("officer"));
            const auto n = days("days");
            if (u.agency.empty() || u.officer.empty() || !n)
                return casePage(p, raw, false, "error_forward_fields");
            u.expectedDate = calendar::formatIsoDate(cal.addWorkingDays(today(), *n));
            u.note = trimmed(f("note", kMaxText));
        } else if (action == "needs_info") {
            u.status = "needs_info";
            u.note = trimmed(f("note", kMaxText));
            u.agency = c.agency;
            if (u.note.empty()) return casePage(p, raw, false, "error_needs_text");
        } else if (action == "answer") {
            u.status = "answered";
            u.note = trimmed(f("reply", kMaxText));
            u.agency = c.agency;
            internalNote = trimmed(f("internal", kMaxText));
            if (u.note.empty()) return casePage(p, raw, false, "error_needs_text");
        } else if (action == "reject") {
            u.status = "rejected";
            u.note = trimmed(f("note", kMaxText));
            if (u.note.empty()) return casePage(p, raw, false, "error_needs_text");
        } else if (action == "duplicate") {
            auto other = record::parseTrackingCode(f("other"));
            if (!other || other->text() == c.trackingCode)
                return casePage(p, raw, false, "error_duplicate_code");
            auto row = storage.caseByCode(other->text());
            if (!row) return storageError(p, row.error());
            if (!*row) return casePage(p, raw, false, "error_duplicate_code");
            otherCode = other->text();
            u.status = "duplicate";
            u.note = t(p, "note_duplicate_of") + " " + otherCode;
        } else if (action == "extend") {
            const auto n = days("days");
            u.note = trimmed(f("note", kMaxText));
            if (!n || u.note.empty()) return casePage(p, raw, false, "error_extend_fields");
            auto base = calendar::parseIsoDate(c.deadline);
            u.expectedDate =
                calendar::formatIsoDate(cal.addWorkingDays(base ? *base : today(), *n));
            u.status = c.status.empty() ? "received" : c.status;
            u.agency = c.agency;
        } else if (action == "reopen") {
            u.status = "received";
            u.note = trimmed(f("note", kMaxText));
            if (u.note.empty()) return casePage(p, raw, false, "error_needs_text");
            u.agency = c.agency;
        } else {
            return message(p, 400, "error_bad_action");
        }
        auto applied = applyStaffUpdate(storage, u, now());
        if (!applied) {
            service.log("console action refused: " + applied.error());
            return casePage(p, raw, false, "error_action_failed");
        }
        if (!internalNote.empty())
            if (auto n = storage.addCaseNote({c.trackingCode, p.user->name, internalNote, {}}); !n)
                return storageError(p, n.error());
        if (!otherCode.empty()) {
            // Linked both ways: the other case's page names this one.
            if (auto n = storage.addCaseNote({otherCode,
                                              p.user->name,
                                              t(p, "note_duplicate_here") + " " + c.trackingCode,
                                              {}});
                !n)
                return storageError(p, n.error());
            if (auto n = storage.addCaseNote({c.trackingCode, p.user->name, u.note, {}}); !n)
                return storageError(p, n.error());
        }
        service.log("console action " + action + " code=" + c.trackingCode);
        return redirect(p, "/console/case/" + c.trackingCode);
    }

    // --- supervisors and admins
    // -------------------------------------------------------------------

    HttpReply accessLogPage(Page& p) {
        if (p.user->role != "supervisor") return message(p, 403, "error_forbidden");
        auto rows = storage.accessLog(500);
        if (!rows) return storageError(p, rows.error());
        data list{data::type::list};
        for (const auto& r : *rows) {
            data x;
            x.set("who", r.userName);
            // An export names no case (older rows said "*"): no link to a case page.
            if (!r.trackingCode.empty() && r.trackingCode != "*") x.set("code", r.trackingCode);
            x.set("what", t(p, "access_" + r.what));
            x.set("detail", r.detail);
            x.set("when", localTime(r.at));
            list.push_back(x);
        }
        data d;
        d.set("t", stringsData(p));
        d.set("rows", list);
        return page(p, 200, t(p, "access_title"), render("access_log", d));
    }

    // --- reply templates (admins edit, everyone who acts reads) -------------------------------

    HttpReply templatesPage(Page& p, const std::map<std::string, std::string>& query,
                            const std::string& errorKey, int status = 200) {
        if (p.user->role != "admin") return message(p, 403, "error_forbidden");
        auto list = storage.replyTemplates("");
        if (!list) return storageError(p, list.error());
        const auto cfg = service.servedConfig();
        const auto cats = categoryNames(cfg, p);
        std::int64_t editId = 0;
        if (auto it = query.find("edit"); it != query.end()) {
            try {
                editId = std::stoll(it->second);
            } catch (...) {
                editId = 0;
            }
        }
        data rows{data::type::list};
        const ReplyTemplate* editing = nullptr;
        for (const auto& tp : *list) {
            data x;
            x.set("id", std::to_string(tp.id));
            x.set("category",
                  tp.category.empty()
                      ? t(p, "templates_any")
                      : (cats.contains(tp.category) ? cats.at(tp.category) : tp.category));
            x.set("title", tp.title);
            x.set("body", tp.body);
            rows.push_back(x);
            if (tp.id == editId) editing = &tp;
        }
        data catList{data::type::list};
        for (const auto& c : cfg.categories) {
            data x;
            x.set("code", c.code);
            x.set("name", cats.at(c.code));
            x.set("selected", editing && editing->category == c.code);
            catList.push_back(x);
        }
        data d;
        d.set("t", stringsData(p));
        d.set("rows", rows);
        d.set("categories", catList);
        d.set("csrf", p.session->csrf);
        if (editing) {
            d.set("edit_id", std::to_string(editing->id));
            d.set("edit_title", editing->title);
            d.set("edit_body", editing->body);
        } else {
            d.set("edit_id", "0");
        }
        if (!errorKey.empty()) d.set("error", t(p, errorKey));
        return page(p, status, t(p, "templates_title"), render("templates", d));
    }

    HttpReply templatesPost(Page& p, const std::map<std::string, std::string>& form) {
        if (p.user->role != "admin") return message(p, 403, "error_forbidden");
        auto f = [&](const char* k, std::size_t max = kMaxField) {
            return form.contains(k) ? clip(form.at(k), max) : std::string{};
        };
        std::int64_t id = 0;
        try {
            id = f("id").empty() ? 0 : std::stoll(f("id"));
        } catch (...) {
            return message(p, 400, "error_bad_action");
        }
        if (f("op") == "delete") {
            if (auto r = storage.deleteReplyTemplate(id); !r) return storageError(p, r.error());
            return redirect(p, "/console/templates");
        }
        ReplyTemplate tp{id, f("category"), f("title"), f("body", kMaxText), {}};
        if (tp.title.empty() || tp.body.empty())
            return templatesPage(p, {}, "error_needs_text", 400);
        auto r = storage.putReplyTemplate(tp);
        if (!r) return storageError(p, r.error());
        if (!*r) return message(p, 404, "error_not_found");
        return redirect(p, "/console/templates");
    }

    // --- the kiosk fleet (supervisors and admins) -----------------------------------------------

    HttpReply kiosksPage(Page& p) {
        if (p.user->role != "supervisor" && p.user->role != "admin")
            return message(p, 403, "error_forbidden");
        auto kiosks = storage.kiosks();
        if (!kiosks) return storageError(p, kiosks.error());
        const std::int64_t nowMs = now();
        data rows{data::type::list};
        for (const auto& k : *kiosks) {
            data x;
            x.set("id", k.kioskId);
            x.set("enrolled", localTime(k.enrolledAt));
            x.set("last_seen",
                  k.lastSeenAt.empty() ? t(p, "kiosks_never") : localTime(k.lastSeenAt));
            const auto seen = platform::clock::parseUtc(k.lastSeenAt);
            const bool silent = !seen || nowMs - platform::clock::unixMillis(*seen) >
                                             std::int64_t{24} * 3600 * 1000;
            x.set("silent", silent);
            if (!k.heartbeat.empty()) {
                const auto j = nlohmann::json::parse(k.heartbeat, nullptr, false);
                if (auto hb = j.is_discarded() ? std::unexpected(std::string("bad"))
                                               : proto::HeartbeatRequest::fromJson(j)) {
                    if (hb->queueDepth) x.set("queue", std::to_string(*hb->queueDepth));
                    if (hb->oldestQueuedAgeS) {
                        const auto sec = *hb->oldestQueuedAgeS;
                        x.set("oldest", sec >= 3600 ? std::to_string(sec / 3600) + " h " +
                                                          std::to_string(sec % 3600 / 60) + " min"
                                                    : std::to_string(sec / 60) + " min");
                    }
                    if (hb->quarantined) x.set("quarantined", std::to_string(*hb->quarantined));
                    if (hb->printer) {
                        const auto& label = t(p, "printer_" + *hb->printer);
                        x.set("printer", label.empty() ? *hb->printer : label);
                        const auto& st = *hb->printer;
                        x.set("printer_bad",
                              st != "ready" && st != "unchecked" && st != "not_configured");
                    }
                    if (hb->appVersion) x.set("version", *hb->appVersion);
                }
            }
            rows.push_back(x);
        }
        data d;
        d.set("t", stringsData(p));
        d.set("rows", rows);
        return page(p, 200, t(p, "kiosks_title"), render("kiosks", d));
    }

    // --- admin pages (backend/console/admin.cpp): agencies, kiosks, categories, calendar ------

    HttpReply adminPage(Page& p, const std::string& path, bool post,
                        const std::map<std::string, std::string>& query,
                        const std::map<std::string, std::string>& form) {
        if (p.user->role != "admin") return message(p, 403, "error_forbidden");
        AdminPages admin(storage, service, strings);
        const AdminReply r =
            admin.handle({path, post, query, form, p.lang, p.user->name, p.session->csrf, now()});
        if (r.error) return storageError(p, *r.error);
        if (!r.messageKey.empty()) return message(p, r.status, r.messageKey);
        if (!r.location.empty()) return redirect(p, r.location);
        return page(p, r.status, r.title, r.body);
    }

    HttpReply usersPage(Page& p, const std::string& errorKey, int status = 200) {
        if (p.user->role != "admin") return message(p, 403, "error_forbidden");
        auto users = storage.consoleUsers();
        if (!users) return storageError(p, users.error());
        data list{data::type::list};
        for (const auto& u : *users) {
            data x;
            x.set("name", u.name);
            x.set("role", t(p, "role_" + u.role));
            x.set("ward", u.ward);
            x.set("agency", u.agency);
            x.set("disabled", u.disabled);
            x.set("locked", u.lockedUntilMs > now());
            list.push_back(x);
        }
        data d;
        d.set("t", stringsData(p));
        d.set("rows", list);
        d.set("csrf", p.session->csrf);
        if (!errorKey.empty()) d.set("error", t(p, errorKey));
        return page(p, status, t(p, "users_title"), render("users", d));
    }

    HttpReply usersPost(Page& p, const std::map<std::string, std::string>& form) {
        if (p.user->role != "admin") return message(p, 403, "error_forbidden");
        auto f = [&](const char* k) {
            return form.contains(k) ? clip(form.at(k), kMaxField) : std::string{};
        };
        const std::string op = f("op");
        if (op == "add") {
            ConsoleUser u;
            u.name = f("name");
            u.role = f("role");
            u.ward = f("ward");
            u.agency = f("agency");
            if (auto r = addConsoleUser(storage, u,
                                        form.contains("password") ? form.at("password") : "");
                !r)
                return usersPage(p, "error_user_add", 400);
        } else if (op == "disable") {
            if (f("name") == p.user->name) return usersPage(p, "error_user_self", 400);
            if (auto r = disableConsoleUser(storage, f("name")); !r)
                return usersPage(p, "error_user_add", 400);
        } else {
            return message(p, 400, "error_bad_action");
        }
        return redirect(p, "/console/users");
    }
};

Console::Console(BackendStorage& storage, BackendService& service, ConsoleOptions options)
    : m_impl(new Impl{storage, service, std::move(options), {}, {}, {}, {}, {}}) {
    for (const char* name : kTemplates) m_impl->templates[name] = loadConsoleTemplate(name);
    AdminPages::checkTemplates();
    m_impl->css = platform::assets::load("console/console.css");
    for (const char* lang : {"vi", "en"}) {
        const auto all =
            nlohmann::json::parse(platform::assets::load(std::string("strings/") + lang + ".json"));
        nlohmann::json table = nlohmann::json::object();
        for (const auto& [k, v] : all.items()) {
            if (!k.starts_with("console.") || !v.is_string()) continue;
            std::string key = k.substr(8);
            std::replace(key.begin(), key.end(), '.', '_');
            table[key] = v;
        }
        m_impl->strings[lang] = std::move(table);
    }
}

Console::~Console() = default;

HttpReply Console::handle(const HttpRequestView& req) {
    return m_impl->handle(req);
}

}  // namespace ksync::backend
