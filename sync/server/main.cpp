// kiosk-backend — the reference city backend. Commands (all take --data-dir):
//   serve, public-key, issue-token, update, audit, kiosks, config, train-dictionary. See docs/SYNC.md.
#include <CLI/CLI.hpp>

#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>

#include "clock/clock.hpp"
#include "keys/device_key.hpp"
#include "record/validation.hpp"
#include "server/chain_audit.hpp"
#include "server/http_server.hpp"
#include "server/sqlite_storage.hpp"
#include "store/backend_config.hpp"

namespace {

using namespace ksync::server;

struct Fail {
    int code;
    std::string message;
};

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitStorage = 4;

// The running server, for the signal handler (the only global: a signal handler has no context).
HttpServer* g_server = nullptr;

extern "C" void onSignal(int) {
    if (g_server) g_server->stop();
}

std::filesystem::path dbFile(const std::string& dir) { return std::filesystem::path(dir) / "backend.db"; }
std::filesystem::path keyFile(const std::string& dir) { return std::filesystem::path(dir) / "backend.key"; }

std::unique_ptr<SqliteStorage> openStorage(const std::string& dir, bool readOnly = false) {
    std::error_code ec;
    if (readOnly && !std::filesystem::exists(dbFile(dir), ec)) throw Fail{kExitFailed, "no backend.db in " + dir};
    std::filesystem::create_directories(dir, ec);
    auto s = SqliteStorage::open(dbFile(dir), readOnly);
    if (!s) throw Fail{kExitStorage, "cannot open " + dbFile(dir).string() + ": " + s.error().detail};
    return std::move(*s);
}

std::int64_t nowMs() { return platform::clock::unixMillis(platform::clock::now()); }

void registerServe(CLI::App& app, std::string& dataDir) {
    auto* cmd = app.add_subcommand("serve", "Serve the protocol, the tracking page and Open311");
    auto listen = std::make_shared<std::string>("127.0.0.1:8470");
    auto threads = std::make_shared<int>(8);
    cmd->add_option("--listen", *listen, "HOST:PORT (port 0: any free port, printed on stdout)");
    cmd->add_option("--threads", *threads, "HTTP worker threads");
    cmd->callback([&dataDir, listen, threads] {
        auto where = parseListen(*listen);
        if (!where) throw Fail{kExitUsage, "--listen must be HOST:PORT"};
        auto storage = openStorage(dataDir);
        auto key = platform::keys::DeviceKey::loadOrCreate(keyFile(dataDir));
        if (!key) throw Fail{kExitStorage, key.error()};
        BackendService service(*storage, *key, ksync::proto::Dictionaries::shipped());
        HttpServer server(service, *threads);
        auto port = server.bind(where->first, where->second);
        if (!port) throw Fail{kExitFailed, port.error()};
        g_server = &server;
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
        std::signal(SIGPIPE, SIG_IGN);
        std::cout << "listening on " << where->first << ":" << *port << " key " << key->fingerprint() << std::endl;
        server.run();
        g_server = nullptr;
    });
}

void registerIssueToken(CLI::App& app, std::string& dataDir) {
    auto* cmd = app.add_subcommand("issue-token", "Issue a one-time enrolment token (or a staff API token)");
    struct Opts {
        std::string kioskId, staff;
        int validHours = 72;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--kiosk-id", o->kioskId, "Only this kiosk may use the token");
    cmd->add_option("--valid-hours", o->validHours, "Enrolment token lifetime (default 72)");
    cmd->add_option("--staff", o->staff, "Issue a staff API token for this name instead");
    cmd->callback([&dataDir, o] {
        auto storage = openStorage(dataDir);
        auto token = o->staff.empty() ? storage->issueEnrolToken(o->kioskId, nowMs() + std::int64_t{o->validHours} * 3600000)
                                      : storage->issueStaffToken(o->staff);
        if (!token) throw Fail{kExitStorage, token.error().detail};
        std::cout << *token << "\n";
    });
}

void registerUpdate(CLI::App& app, std::string& dataDir) {
    auto* cmd = app.add_subcommand("update", "Post a status update for a record (staff)");
    auto u = std::make_shared<StaffUpdate>();
    cmd->add_option("CODE", u->code, "Tracking code")->required();
    cmd->add_option("--status", u->status, "received, forwarded, needs_info, answered, closed, rejected, duplicate")->required();
    cmd->add_option("--agency", u->agency, "Agency now responsible");
    cmd->add_option("--officer", u->officer, "Officer responsible");
    cmd->add_option("--expected", u->expectedDate, "Expected reply date YYYY-MM-DD");
    cmd->add_option("--note", u->note, "Note for the resident (what is needed, the answer)");
    cmd->callback([&dataDir, u] {
        auto storage = openStorage(dataDir);
        auto r = applyStaffUpdate(*storage, *u, nowMs());
        if (!r) throw Fail{kExitFailed, r.error()};
        std::cout << *r << " " << u->status << "\n";
    });
}

void registerAudit(CLI::App& app, std::string& dataDir) {
    auto* cmd = app.add_subcommand("audit", "Check every kiosk's hash chain: gaps, forks, altered records, conflicts");
    auto kiosk = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    cmd->add_option("--kiosk-id", *kiosk, "Only this kiosk");
    cmd->add_flag("--json", *json, "Machine-readable output");
    cmd->callback([&dataDir, kiosk, json] {
        auto storage = openStorage(dataDir);
        std::vector<std::string> ids;
        if (!kiosk->empty()) {
            ids.push_back(*kiosk);
        } else {
            auto all = storage->kioskIdsWithRecords();
            if (!all) throw Fail{kExitStorage, all.error().detail};
            ids = *all;
        }
        nlohmann::json out = nlohmann::json::array();
        std::size_t problems = 0;
        for (const auto& id : ids) {
            auto recs = storage->kioskRecords(id);
            auto conf = storage->conflicts(id);
            if (!recs || !conf) throw Fail{kExitStorage, "cannot read records of " + id};
            const auto a = auditChain(id, *recs, *conf);
            problems += a.problems.size();
            nlohmann::json p = nlohmann::json::array();
            for (const auto& x : a.problems) p.push_back({{"sequence", x.sequence}, {"kind", x.kind}, {"detail", x.detail}});
            out.push_back({{"kiosk_id", id}, {"records", a.records}, {"max_sequence", a.maxSequence}, {"problems", p}});
            if (!*json) {
                std::cout << "kiosk " << id << ": " << a.records << " records, through sequence " << a.maxSequence
                          << (a.problems.empty() ? ", chain ok" : "") << "\n";
                for (const auto& x : a.problems) std::cout << "  #" << x.sequence << " " << x.kind << ": " << x.detail << "\n";
            }
        }
        if (*json) std::cout << out.dump(2) << "\n";
        if (problems > 0) throw Fail{kExitFailed, std::to_string(problems) + " problem(s) found"};
    });
}

void registerKiosks(CLI::App& app, std::string& dataDir) {
    auto* cmd = app.add_subcommand("kiosks", "Enrolled kiosks, last contact and last heartbeat");
    cmd->callback([&dataDir] {
        auto storage = openStorage(dataDir);
        auto rows = storage->kiosks();
        if (!rows) throw Fail{kExitStorage, rows.error().detail};
        for (const auto& k : *rows)
            std::cout << k.kioskId << "  enrolled " << k.enrolledAt << "  last seen "
                      << (k.lastSeenAt.empty() ? "never" : k.lastSeenAt) << "  " << k.heartbeat << "\n";
    });
}

// The backend's public key, for `kioskctl init --backend-key` on kiosks provisioned offline:
// they seal content to it from their first record and will enrol with no other server.
void registerPublicKey(CLI::App& app, std::string& dataDir) {
    auto* cmd = app.add_subcommand("public-key", "Print the backend's public key (base64) for kioskctl init --backend-key");
    cmd->callback([&dataDir] {
        std::error_code ec;
        std::filesystem::create_directories(dataDir, ec);
        auto key = platform::keys::DeviceKey::loadOrCreate(keyFile(dataDir));
        if (!key) throw Fail{kExitFailed, key.error()};
        std::cout << key->publicKeyBase64() << "\n";
    });
}

void registerConfig(CLI::App& app, std::string& dataDir) {
    auto* cmd = app.add_subcommand("config", "Show or set the config document served to kiosks");
    cmd->require_subcommand(1);
    auto* show = cmd->add_subcommand("show", "Print the current document");
    show->callback([&dataDir] {
        auto storage = openStorage(dataDir);
        auto c = storage->config();
        if (!c) throw Fail{kExitStorage, c.error().detail};
        std::cout << (*c ? (*c)->document : defaultServedConfig()) << "\n";
    });
    auto* set = cmd->add_subcommand("set", "Replace the document (checked first)");
    auto file = std::make_shared<std::string>();
    set->add_option("FILE", *file, "JSON document")->required();
    set->callback([&dataDir, file] {
        std::ifstream in(*file);
        std::stringstream ss;
        ss << in.rdbuf();
        if (!in) throw Fail{kExitFailed, "cannot read " + *file};
        const std::string doc = ss.str();
        if (auto parsed = ksync::store::parseBackendConfig(doc); !parsed) throw Fail{kExitFailed, parsed.error()};
        auto storage = openStorage(dataDir);
        const auto c = makeConfigDocument(doc);
        if (auto r = storage->setConfig(c); !r) throw Fail{kExitStorage, r.error().detail};
        std::cout << "config " << c.version << " etag " << c.etag << "\n";
    });
}

void registerTrain(CLI::App& app) {
    auto* cmd = app.add_subcommand("train-dictionary",
                                   "Train the per-record zstd dictionary on submissions (JSON lines with a \"body\")");
    auto samples = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto size = std::make_shared<std::size_t>(16384);
    cmd->add_option("--samples", *samples, "JSON lines file")->required();
    cmd->add_option("--out", *out, "Dictionary file to write")->required();
    cmd->add_option("--size", *size, "Dictionary size in bytes (default 16384)");
    cmd->callback([samples, out, size] {
        std::ifstream in(*samples);
        if (!in) throw Fail{kExitFailed, "cannot read " + *samples};
        std::vector<std::string> encoded;
        std::string line;
        while (std::getline(in, line)) {
            auto j = nlohmann::json::parse(line, nullptr, false);
            if (!j.is_object() || !j.contains("body") || !j["body"].is_string()) continue;
            const std::string body = j["body"];
            // Samples shaped like real payloads: canonical content of record-sized pieces.
            std::size_t at = 0;
            while (at < body.size()) {
                std::size_t end = std::min(body.size(), at + 1200);
                while (end < body.size() && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) ++end;
                ksync::record::Content c;
                c.salt = ksync::record::newSaltHex();
                c.body = body.substr(at, end - at);
                c.title = ksync::record::suggestTitle(c.body);
                encoded.push_back(ksync::record::encodeContent(c));
                at = end;
            }
        }
        auto dict = ksync::proto::trainDictionary(encoded, *size);
        if (!dict) throw Fail{kExitFailed, "training failed: " + dict.error()};
        std::ofstream o(*out, std::ios::binary | std::ios::trunc);
        o.write(dict->data(), static_cast<std::streamsize>(dict->size()));
        if (!o) throw Fail{kExitFailed, "cannot write " + *out};
        std::cout << "dictionary of " << dict->size() << " bytes from " << encoded.size() << " samples\n";
    });
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"kiosk-backend — reference city backend for the ward feedback kiosks"};
    app.require_subcommand(1);
    app.fallthrough();
    std::string dataDir = "backend-data";
    app.add_option("--data-dir", dataDir, "Backend data directory (backend.db, backend.key)");
    registerServe(app, dataDir);
    registerPublicKey(app, dataDir);
    registerIssueToken(app, dataDir);
    registerUpdate(app, dataDir);
    registerAudit(app, dataDir);
    registerKiosks(app, dataDir);
    registerConfig(app, dataDir);
    registerTrain(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "kiosk-backend: " << e.what() << "\n";
        return kExitUsage;
    } catch (const Fail& f) {
        std::cerr << "kiosk-backend: " << f.message << "\n";
        return f.code;
    }
    return kExitOk;
}
