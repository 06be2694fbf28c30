// bench_console — the officers' console at a city's scale (issue #13, docs/BENCHMARKS.md,
// "Officers' console"): against a database filled by bench_seed (1,000,000 cases), one
// `kiosk-backend serve` process, requests one at a time over a keep-alive loopback connection
// (client-observed time: server time plus ~0.1 ms), logged in as a supervisor (sees every case)
// and as a ward officer (one ward's cases):
//   * the inbox, each tab (new, due soon, overdue, waiting for the resident, answered, open) and
//     a deep keyset page;
//   * search with and without diacritics, rare and common words, alone and with a tab;
//   * the case page (codes sampled uniformly over the year: every kiosk's chain audit);
//   * /thong-ke: the first request (it computes) and the cached ones after it;
//   * the supervisors' CSV export of every case, streamed: time, bytes, rows, and the backend
//     process's peak RSS (VmHWM) with its RSS sampled every 100 ms (flat or growing).
// Numbers only; nothing here passes or fails on time.
//
// Usage: bench_console --backend-bin PATH --database URI --manifest FILE --work DIR
//        [--requests 200] [--max-seconds 10] [--export] [--label pg] [--out results.json]
#include <curl/curl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <regex>
#include <thread>

#include "backend_bench.hpp"
#include "bench_common.hpp"

namespace {

using namespace bench;
using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kPassword = "bench-password-1234";

// One keep-alive connection with a session cookie.
class Browser {
public:
    Browser() : m_h(curl_easy_init()) {
        if (!m_h) die("curl_easy_init");
    }
    ~Browser() { curl_easy_cleanup(m_h); }
    Browser(const Browser&) = delete;
    Browser& operator=(const Browser&) = delete;

    struct Reply {
        long status = 0;
        std::string body;
        std::vector<std::string> cookies;  // Set-Cookie values (name=value part)
        double ms = 0;
        std::uint64_t bytes = 0;
        std::uint64_t lines = 0;
        bool ok = false;
    };

    // `sink`: count the body without keeping it (the export).
    Reply request(const std::string& url, const std::string* form = nullptr, bool keep = true) {
        Reply r;
        struct Ctx {
            Reply* r;
            bool keep;
        } ctx{&r, keep};
        curl_easy_reset(m_h);
        curl_easy_setopt(m_h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(m_h, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(m_h, CURLOPT_TIMEOUT, 600L);
        if (!m_cookie.empty()) curl_easy_setopt(m_h, CURLOPT_COOKIE, m_cookie.c_str());
        if (form) {
            curl_easy_setopt(m_h, CURLOPT_POST, 1L);
            curl_easy_setopt(m_h, CURLOPT_POSTFIELDS, form->c_str());
        }
        curl_easy_setopt(
            m_h, CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* c) -> size_t {
                auto* x = static_cast<Ctx*>(c);
                x->r->bytes += s * n;
                for (size_t i = 0; i < s * n; ++i) x->r->lines += p[i] == '\n';
                if (x->keep) x->r->body.append(p, s * n);
                return s * n;
            });
        curl_easy_setopt(m_h, CURLOPT_WRITEDATA, &ctx);
        curl_easy_setopt(
            m_h, CURLOPT_HEADERFUNCTION, +[](char* p, size_t s, size_t n, void* c) -> size_t {
                std::string line(p, s * n);
                const std::string key = "set-cookie:";
                std::string lower = line.substr(0, key.size());
                for (auto& ch : lower) ch = char(std::tolower((unsigned char)ch));
                if (lower == key) {
                    std::string v = line.substr(key.size());
                    while (!v.empty() && v.front() == ' ') v.erase(0, 1);
                    v = v.substr(0, v.find(';'));
                    static_cast<Ctx*>(c)->r->cookies.push_back(v);
                }
                return s * n;
            });
        curl_easy_setopt(m_h, CURLOPT_HEADERDATA, &ctx);
        const auto t0 = Clock::now();
        const CURLcode rc = curl_easy_perform(m_h);
        r.ms = msSince(t0);
        r.ok = rc == CURLE_OK;
        curl_easy_getinfo(m_h, CURLINFO_RESPONSE_CODE, &r.status);
        for (const auto& c : r.cookies) {
            const auto eq = c.find('=');
            if (eq == std::string::npos) continue;
            m_jar[c.substr(0, eq)] = c.substr(eq + 1);
        }
        m_cookie.clear();
        for (const auto& [k, v] : m_jar)
            if (!v.empty()) m_cookie += (m_cookie.empty() ? "" : "; ") + k + "=" + v;
        return r;
    }

    void login(const std::string& base, const std::string& name) {
        auto page = request(base + "/console/login");
        std::smatch m;
        static const std::regex csrf(R"re(name="csrf" value="([0-9a-f]+)")re");
        if (page.status != 200 || !std::regex_search(page.body, m, csrf))
            die("login page: " + std::to_string(page.status));
        const std::string form = "csrf=" + m[1].str() + "&name=" + name + "&password=" + kPassword;
        auto r = request(base + "/console/login", &form);
        if (r.status != 303 || !m_jar.contains("kc_session"))
            die("login as " + name + " failed: " + std::to_string(r.status));
    }

private:
    CURL* m_h;
    std::map<std::string, std::string> m_jar;
    std::string m_cookie;
};

std::string enc(const std::string& s) {
    char* e = curl_easy_escape(nullptr, s.c_str(), int(s.size()));
    std::string out(e);
    curl_free(e);
    return out;
}

std::size_t countOf(const std::string& body, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = body.find(needle); at != std::string::npos; at = body.find(needle, at + 1)) ++n;
    return n;
}

struct Case {
    std::string name;
    std::string who;  // supervisor / ward
    std::function<std::string(std::size_t)> path;
};

}  // namespace

int main(int argc, char** argv) {
    const std::string bin = arg(argc, argv, "--backend-bin");
    const std::string database = arg(argc, argv, "--database");
    const fs::path manifestFile = arg(argc, argv, "--manifest");
    const fs::path work = arg(argc, argv, "--work", "/tmp/bench-console");
    const fs::path out = arg(argc, argv, "--out");
    const std::size_t requests = std::stoul(arg(argc, argv, "--requests", "200"));
    const double maxSeconds = std::stod(arg(argc, argv, "--max-seconds", "10"));
    const std::string label = arg(argc, argv, "--label", "pg");
    const std::string only = arg(argc, argv, "--only");  // a substring of case names
    const bool doExport = flag(argc, argv, "--export");
    if (bin.empty() || database.empty() || manifestFile.empty())
        die("usage: bench_console --backend-bin PATH --database URI --manifest FILE --work DIR");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    std::ifstream mf(manifestFile);
    const json manifest = json::parse(mf);
    fs::create_directories(work);
    const fs::path dataDir = work / "backend-data";
    const std::string where =
        bin + " --data-dir " + dataDir.string() + " --database '" + database + "' ";
    // Accounts (kept between runs: the add fails when the name exists, then passwd).
    const std::string ward = "26734";  // the config's first ward: ~6,000 of the seeded cases
    for (const auto& [name, extra] : std::vector<std::pair<std::string, std::string>>{
             {"bench-sup", "--role supervisor"}, {"bench-ward", "--role ward --ward " + ward}}) {
        const std::string pw = std::string("echo ") + kPassword + " | ";
        if (std::system((pw + where + "user add --name " + name + " " + extra + " >/dev/null 2>&1")
                            .c_str()) != 0)
            runOut(pw + where + "user passwd --name " + name);
    }

    BackendSpec spec;
    spec.bin = bin;
    spec.dataDir = dataDir;
    spec.database = database;
    spec.processes = 1;
    spec.threads = 8;
    spec.logDir = work / "logs";
    auto group = startBackends(spec);
    const std::string base = group.url;
    std::cout << "console bench " << label << ": backend " << base << " pid " << group.pids[0]
              << std::endl;

    Browser sup, wardB;
    sup.login(base, "bench-sup");
    wardB.login(base, "bench-ward");

    std::vector<std::string> codes;
    for (const auto& c : manifest["codes_sample"]) codes.push_back(c.get<std::string>());
    std::mt19937_64 rng(7);
    std::shuffle(codes.begin(), codes.end(), rng);

    // For each of the first 200 sampled codes, another sampled code of the same kiosk (the kiosk
    // code is the second part of a tracking code): the chain audit of that kiosk was just done.
    std::vector<std::string> sameKiosk;
    {
        auto kioskOf = [](const std::string& code) { return code.substr(5, 4); };
        std::map<std::string, std::vector<std::string>> byKiosk;
        for (std::size_t i = 200; i < codes.size(); ++i)
            byKiosk[kioskOf(codes[i])].push_back(codes[i]);
        for (std::size_t i = 0; i < 200 && i < codes.size(); ++i)
            if (auto it = byKiosk.find(kioskOf(codes[i]));
                it != byKiosk.end() && !it->second.empty())
                sameKiosk.push_back(it->second.front());
        if (sameKiosk.empty()) sameKiosk.push_back(codes[0]);
    }
    // A deep keyset cursor: the middle of the deadline range.
    const std::string deepAfter = "2026-06-01~0";
    const std::vector<Case> cases = {
        {"inbox new", "supervisor", [](std::size_t) { return "/console/inbox?tab=new"; }},
        {"inbox due soon", "supervisor", [](std::size_t) { return "/console/inbox?tab=due_soon"; }},
        {"inbox overdue", "supervisor", [](std::size_t) { return "/console/inbox?tab=overdue"; }},
        {"inbox waiting", "supervisor", [](std::size_t) { return "/console/inbox?tab=waiting"; }},
        {"inbox answered", "supervisor", [](std::size_t) { return "/console/inbox?tab=answered"; }},
        {"inbox open", "supervisor", [](std::size_t) { return "/console/inbox?tab=open"; }},
        {"inbox answered, deep page", "supervisor",
         [&](std::size_t) { return "/console/inbox?tab=answered&after=" + enc(deepAfter); }},
        {"inbox answered, category filter", "supervisor",
         [](std::size_t) { return "/console/inbox?tab=answered&category=Y_TE"; }},
        {"ward inbox new", "ward", [](std::size_t) { return "/console/inbox?tab=new"; }},
        {"ward inbox due soon", "ward", [](std::size_t) { return "/console/inbox?tab=due_soon"; }},
        {"ward inbox overdue", "ward", [](std::size_t) { return "/console/inbox?tab=overdue"; }},
        {"ward inbox waiting", "ward", [](std::size_t) { return "/console/inbox?tab=waiting"; }},
        {"ward inbox answered", "ward", [](std::size_t) { return "/console/inbox?tab=answered"; }},
        {"search 'rác thải' (diacritics)", "supervisor",
         [](std::size_t) { return "/console/inbox?tab=all&q=" + enc("rác thải"); }},
        {"search 'rac thai' (folded)", "supervisor",
         [](std::size_t) { return "/console/inbox?tab=all&q=" + enc("rac thai"); }},
        {"search 'ô nhiễm'", "supervisor",
         [](std::size_t) { return "/console/inbox?tab=all&q=" + enc("ô nhiễm"); }},
        {"search common 'xay dung'", "supervisor",
         [](std::size_t) { return "/console/inbox?tab=all&q=" + enc("xay dung"); }},
        {"search 'ngập nước' (no case has it)", "supervisor",
         [](std::size_t) { return "/console/inbox?tab=all&q=" + enc("ngập nước"); }},
        {"search address 'số 17 đường lê lợi'", "supervisor",
         [](std::size_t) { return "/console/inbox?tab=all&q=" + enc("số 17 đường lê lợi"); }},
        {"search 'rac thai' + overdue", "supervisor",
         [](std::size_t) { return "/console/inbox?tab=overdue&q=" + enc("rac thai"); }},
        {"search 'rac thai' + waiting", "supervisor",
         [](std::size_t) { return "/console/inbox?tab=waiting&q=" + enc("rac thai"); }},
        {"ward search 'rác thải'", "ward",
         [](std::size_t) { return "/console/inbox?tab=all&q=" + enc("rác thải"); }},
        {"ward search 'ngập nước' (none)", "ward",
         [](std::size_t) { return "/console/inbox?tab=all&q=" + enc("ngập nước"); }},
        {"case page", "supervisor",
         [&](std::size_t i) { return "/console/case/" + codes[i % codes.size()]; }},
        {"case page, other cases of the same kiosks", "supervisor",
         [&](std::size_t i) { return "/console/case/" + sameKiosk[i % sameKiosk.size()]; }},
        {"case page, same case again", "supervisor",
         [&](std::size_t) { return "/console/case/" + codes[0]; }},
    };

    json results = json::object();
    results["label"] = label;
    json caseJson = json::array();
    for (const auto& c : cases) {
        if (!only.empty() && c.name.find(only) == std::string::npos) continue;
        Browser& b = c.who == "ward" ? wardB : sup;
        std::vector<double> ms;
        std::size_t rows = 0, fails = 0;
        long lastStatus = 0;
        // One warm-up request (not counted).
        b.request(base + c.path(requests + 1));
        const auto t0 = Clock::now();
        for (std::size_t i = 0; i < requests && msSince(t0) < maxSeconds * 1000; ++i) {
            auto r = b.request(base + c.path(i));
            lastStatus = r.status;
            if (!r.ok || r.status != 200) {
                ++fails;
                continue;
            }
            ms.push_back(r.ms);
            if (i == 0) rows = countOf(r.body, "class=\"code\"");
        }
        const json s = summary(ms);
        std::printf("console %s %-38s n=%4zu p50 %7.2f p95 %7.2f max %8.2f ms  rows %3zu%s\n",
                    label.c_str(), c.name.c_str(), ms.size(), s["p50"].get<double>(),
                    s["p95"].get<double>(), s["max"].get<double>(), rows,
                    fails ? (" FAILED " + std::to_string(fails) + " (status " +
                             std::to_string(lastStatus) + ")")
                                .c_str()
                          : "");
        std::fflush(stdout);
        caseJson.push_back({{"case", c.name},
                            {"who", c.who},
                            {"ms", s},
                            {"rows_first", rows},
                            {"failures", fails}});
    }
    results["cases"] = caseJson;

    // /thong-ke: the first request computes (after a restart nothing is cached).
    if (only.empty() || std::string("thong-ke").find(only) != std::string::npos) {
        stopBackends(group);
        group = startBackends(spec);
        Browser anon;
        auto first = anon.request(group.url + "/thong-ke");
        std::vector<double> ms;
        for (std::size_t i = 0; i < requests; ++i) {
            auto r = anon.request(group.url + "/thong-ke");
            if (r.status == 200) ms.push_back(r.ms);
        }
        const json s = summary(ms);
        std::printf(
            "console %s /thong-ke first (computes) %.1f ms (status %ld); cached p50 %.2f "
            "p95 %.2f ms\n",
            label.c_str(), first.ms, first.status, s["p50"].get<double>(), s["p95"].get<double>());
        results["stats"] = {{"first_ms", first.ms}, {"first_status", first.status}, {"cached", s}};
    }

    if (doExport) {
        stopBackends(group);
        group = startBackends(spec);
        Browser b;
        b.login(group.url, "bench-sup");
        const pid_t pid = group.pids[0];
        const long rssBefore = procStats(pid).rssKb;
        std::atomic<bool> done{false};
        std::vector<std::pair<double, long>> samples;
        const auto t0 = Clock::now();
        std::thread sampler([&] {
            while (!done) {
                samples.emplace_back(msSince(t0) / 1000, procStats(pid).rssKb);
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        });
        auto r = b.request(group.url + "/console/export.csv?tab=all", nullptr, false);
        done = true;
        sampler.join();
        const auto st = procStats(pid);
        long maxRss = 0, rssAt10 = 0;
        for (const auto& [t, kb] : samples) {
            maxRss = std::max(maxRss, kb);
            if (t <= r.ms / 1000 * 0.1) rssAt10 = kb;
        }
        std::printf(
            "console %s export all cases: %.1f s, %s, %llu lines, status %ld; backend RSS before "
            "%ld "
            "MiB, at 10%% %ld MiB, max sampled %ld MiB, VmHWM %ld MiB\n",
            label.c_str(), r.ms / 1000, humanBytes(double(r.bytes)).c_str(),
            (unsigned long long)r.lines, r.status, rssBefore / 1024, rssAt10 / 1024, maxRss / 1024,
            st.hwmKb / 1024);
        json rss = json::array();
        for (std::size_t i = 0; i < samples.size();
             i += std::max<std::size_t>(1, samples.size() / 40))
            rss.push_back({samples[i].first, samples[i].second});
        results["export"] = {{"seconds", r.ms / 1000},     {"bytes", r.bytes},
                             {"lines", r.lines},           {"status", r.status},
                             {"rss_before_kb", rssBefore}, {"rss_max_sampled_kb", maxRss},
                             {"vm_hwm_kb", st.hwmKb},      {"rss_samples_s_kb", rss}};
    }
    stopBackends(group);
    if (!out.empty()) writeResult(out, "console_" + label, results);
    return 0;
}
