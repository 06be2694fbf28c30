// kiosk-backend — the city backend. Commands (all take --data-dir and --database):
//   serve, migrate, copy, import, public-key, issue-token, update, audit, kiosks, config,
//   train-dictionary, user, ratings.
// See docs/SYNC.md and the README ("The city backend").
#include <CLI/CLI.hpp>

#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>

#include <termios.h>
#include <unistd.h>

#include "clock/clock.hpp"
#include "console/console.hpp"
#include "http/http_server.hpp"
#include "keys/device_key.hpp"
#include "proto/backend_config.hpp"
#include "proto/bundle.hpp"
#include "record/validation.hpp"
#include "service/chain_audit.hpp"
#include "storage/open_storage.hpp"
#include "text/strings.hpp"

namespace {

using namespace ksync::backend;

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

std::filesystem::path keyFile(const std::string& dir) {
    return std::filesystem::path(dir) / "backend.key";
}

// Where the data lives: --database, else SQLite in the data directory.
struct Where {
    std::string dataDir = "backend-data";
    std::string database;  // empty: sqlite:<dataDir>/backend.db
    DatabaseUrl url() const {
        if (database.empty())
            return DatabaseUrl{DatabaseUrl::Kind::Sqlite,
                               (std::filesystem::path(dataDir) / "backend.db").string()};
        auto u = parseDatabaseUrl(database);
        if (!u) throw Fail{kExitUsage, u.error()};
        return *u;
    }
};

std::unique_ptr<BackendStorage> openAt(const DatabaseUrl& url, OpenOptions options = {}) {
    if (url.kind == DatabaseUrl::Kind::Sqlite) {
        std::error_code ec;
        const auto dir = std::filesystem::path(url.target).parent_path();
        if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    }
    auto s = openStorage(url, options);
    if (!s) throw Fail{kExitStorage, "cannot open " + url.redacted() + ": " + s.error().detail};
    return std::move(*s);
}

// The payload dictionaries: the shipped ones plus every zstd-dict-<name>.bin in
// <data-dir>/dictionaries (where `train-dictionary --out` puts a new one). The config's
// "payload_dictionary" then names it; kiosks get it in their next return bundle.
std::shared_ptr<const ksync::proto::Dictionaries> dictionaries(const Where& w) {
    const auto dir = std::filesystem::path(w.dataDir) / "dictionaries";
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return ksync::proto::Dictionaries::shipped();
    auto extra = ksync::proto::readDictionaryDir(dir.string());
    if (!extra) throw Fail{kExitUsage, "dictionaries: " + extra.error()};
    try {
        return ksync::proto::Dictionaries::shippedWith(*extra);
    } catch (const std::exception& e) {
        throw Fail{kExitUsage, std::string("dictionaries: ") + e.what()};
    }
}

// The storage that --database / --data-dir name.
std::unique_ptr<BackendStorage> openWhere(const Where& w, OpenOptions options = {}) {
    return openAt(w.url(), options);
}

std::int64_t nowMs() {
    return platform::clock::unixMillis(platform::clock::now());
}

void registerServe(CLI::App& app, Where& where) {
    auto* cmd = app.add_subcommand("serve", "Serve the protocol, the tracking page and Open311");
    auto listen = std::make_shared<std::string>("127.0.0.1:8470");
    struct Opts {
        int threads = 8;
        int pool = 0;
        int statementTimeoutMs = 5000;
        int poolWaitMs = 2000;
        bool reusePort = false;
        std::vector<std::string> trustedProxies;
        int idleMinutes = 30;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--listen", *listen, "HOST:PORT (port 0: any free port, printed on stdout)");
    cmd->add_option("--threads", o->threads, "HTTP worker threads");
    cmd->add_option("--pool", o->pool,
                    "PostgreSQL connections of this process (default: --threads)");
    cmd->add_option("--statement-timeout-ms", o->statementTimeoutMs,
                    "PostgreSQL statement timeout (then 503)");
    cmd->add_option("--pool-wait-ms", o->poolWaitMs,
                    "How long a request waits for a free connection (then 503)");
    cmd->add_flag(
        "--reuse-port", o->reusePort,
        "Share HOST:PORT with other kiosk-backend processes (SO_REUSEPORT; with PostgreSQL)");
    cmd->add_option("--trusted-proxy", o->trustedProxies,
                    "Peer address of a TLS-terminating proxy whose X-Forwarded-Proto is believed "
                    "(console cookies get Secure)");
    cmd->add_option("--console-idle-minutes", o->idleMinutes,
                    "Officers' console: sessions end after this idle time");
    cmd->callback([&where, listen, o] {
        auto addr = parseListen(*listen);
        if (!addr) throw Fail{kExitUsage, "--listen must be HOST:PORT"};
        OpenOptions options;
        options.poolSize = o->pool > 0 ? o->pool : o->threads;
        options.statementTimeoutMs = o->statementTimeoutMs;
        options.poolWaitMs = o->poolWaitMs;
        auto storage = openWhere(where, options);
        std::error_code ec;
        std::filesystem::create_directories(where.dataDir, ec);
        auto key = platform::keys::DeviceKey::loadOrCreate(keyFile(where.dataDir));
        if (!key) throw Fail{kExitStorage, key.error()};
        BackendService service(*storage, *key, dictionaries(where));
        if (auto linked = service.linkAdditions(); !linked)
            throw Fail{kExitStorage, "linking supplements and ratings: " + linked.error().detail};
        HttpServer server(service, o->threads, o->reusePort);
        ConsoleOptions consoleOptions;
        consoleOptions.trustedProxies = o->trustedProxies;
        consoleOptions.idleTimeoutMs = std::int64_t{std::max(1, o->idleMinutes)} * 60 * 1000;
        std::unique_ptr<Console> console;
        try {
            console = std::make_unique<Console>(*storage, service, consoleOptions);
        } catch (const std::exception& e) {
            throw Fail{kExitFailed, std::string("console: ") + e.what()};
        }
        server.setConsole([&console](const HttpRequestView& req) { return console->handle(req); });
        auto port = server.bind(addr->first, addr->second);
        if (!port) throw Fail{kExitFailed, port.error()};
        g_server = &server;
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
        std::signal(SIGPIPE, SIG_IGN);
        std::cout << "listening on " << addr->first << ":" << *port << " key " << key->fingerprint()
                  << std::endl;
        server.run();
        g_server = nullptr;
    });
}

void registerIssueToken(CLI::App& app, Where& where) {
    auto* cmd = app.add_subcommand("issue-token",
                                   "Issue a one-time enrolment token (or a staff API token)");
    struct Opts {
        std::string kioskId, staff;
        int validHours = 72;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--kiosk-id", o->kioskId, "Only this kiosk may use the token");
    cmd->add_option("--valid-hours", o->validHours, "Enrolment token lifetime (default 72)");
    cmd->add_option("--staff", o->staff, "Issue a staff API token for this name instead");
    cmd->callback([&where, o] {
        auto storage = openWhere(where);
        auto token = o->staff.empty()
                         ? storage->issueEnrolToken(o->kioskId,
                                                    nowMs() + std::int64_t{o->validHours} * 3600000)
                         : storage->issueStaffToken(o->staff);
        if (!token) throw Fail{kExitStorage, token.error().detail};
        std::cout << *token << "\n";
    });
}

void registerUpdate(CLI::App& app, Where& where) {
    auto* cmd = app.add_subcommand("update", "Post a status update for a record (staff)");
    auto u = std::make_shared<StaffUpdate>();
    cmd->add_option("CODE", u->code, "Tracking code")->required();
    cmd->add_option("--status", u->status,
                    "received, forwarded, needs_info, answered, closed, rejected, duplicate")
        ->required();
    cmd->add_option("--agency", u->agency, "Agency now responsible");
    cmd->add_option("--officer", u->officer, "Officer responsible");
    cmd->add_option("--expected", u->expectedDate, "Expected reply date YYYY-MM-DD");
    cmd->add_option("--note", u->note, "Note for the resident (what is needed, the answer)");
    cmd->callback([&where, u] {
        auto storage = openWhere(where);
        auto r = applyStaffUpdate(*storage, *u, nowMs());
        if (!r) throw Fail{kExitFailed, r.error()};
        std::cout << *r << " " << u->status << "\n";
    });
}

void registerAudit(CLI::App& app, Where& where) {
    auto* cmd = app.add_subcommand(
        "audit", "Check every kiosk's hash chain: gaps, forks, altered records, conflicts");
    auto kiosk = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    cmd->add_option("--kiosk-id", *kiosk, "Only this kiosk");
    cmd->add_flag("--json", *json, "Machine-readable output");
    cmd->callback([&where, kiosk, json] {
        auto storage = openWhere(where);
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
            for (const auto& x : a.problems)
                p.push_back({{"sequence", x.sequence}, {"kind", x.kind}, {"detail", x.detail}});
            out.push_back({{"kiosk_id", id},
                           {"records", a.records},
                           {"max_sequence", a.maxSequence},
                           {"problems", p}});
            if (!*json) {
                std::cout << "kiosk " << id << ": " << a.records << " records, through sequence "
                          << a.maxSequence << (a.problems.empty() ? ", chain ok" : "") << "\n";
                for (const auto& x : a.problems)
                    std::cout << "  #" << x.sequence << " " << x.kind << ": " << x.detail << "\n";
            }
        }
        if (*json) std::cout << out.dump(2) << "\n";
        if (problems > 0) throw Fail{kExitFailed, std::to_string(problems) + " problem(s) found"};
    });
}

void registerKiosks(CLI::App& app, Where& where) {
    auto* cmd = app.add_subcommand("kiosks", "Enrolled kiosks, last contact and last heartbeat");
    cmd->callback([&where] {
        auto storage = openWhere(where);
        auto rows = storage->kiosks();
        if (!rows) throw Fail{kExitStorage, rows.error().detail};
        for (const auto& k : *rows)
            std::cout << k.kioskId << "  enrolled " << k.enrolledAt << "  last seen "
                      << (k.lastSeenAt.empty() ? "never" : k.lastSeenAt) << "  " << k.heartbeat
                      << "\n";
    });
}

// The backend's public key, for `kioskctl init --backend-key` on kiosks provisioned offline:
// they seal content to it from their first record and will enrol with no other server.
// A USB bundle from a kiosk (docs/USB.md): ingested like an upload, and the return bundle
// written next to it (or into --out) for the staff member to carry back.
void registerImport(CLI::App& app, Where& where) {
    auto* cmd =
        app.add_subcommand("import", "Ingest kiosks' USB bundles and write their return bundles");
    auto files = std::make_shared<std::vector<std::string>>();
    auto out = std::make_shared<std::string>();
    cmd->add_option("FILE", *files, "Bundles (*.to-city.ksb)")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--out", *out,
                    "Directory for the return bundles (default: beside each bundle)");
    cmd->callback([&where, files, out] {
        auto storage = openWhere(where);
        std::error_code ec;
        std::filesystem::create_directories(where.dataDir, ec);
        auto key = platform::keys::DeviceKey::loadOrCreate(keyFile(where.dataDir));
        if (!key) throw Fail{kExitStorage, key.error()};
        BackendService service(*storage, *key, dictionaries(where));
        const auto vi = platform::text::Strings::load("vi");
        int refused = 0;
        for (const auto& file : *files) {
            auto bytes = ksync::proto::readWholeFile(file);
            auto done = bytes ? service.importBundle(*bytes) : std::unexpected(bytes.error());
            if (!done) {
                const auto& e = done.error();
                std::cerr << file << ": "
                          << vi.get("bundle.refused." +
                                    std::string(ksync::proto::bundleRefusalCode(e.refusal)))
                          << " (" << ksync::proto::bundleRefusalCode(e.refusal) << ": " << e.detail
                          << ")\n";
                if (e.refusal == ksync::proto::BundleRefusal::Io &&
                    e.detail.starts_with("storage:"))
                    throw Fail{kExitStorage, "storage failed; nothing of " + file +
                                                 " is half-stored, import it again"};
                ++refused;
                continue;
            }
            const std::string dir =
                out->empty() ? std::filesystem::path(file).parent_path().string() : *out;
            auto written = ksync::proto::writeFileAtomically(dir.empty() ? "." : dir,
                                                             done->returnName, done->returnBundle);
            if (!written)
                throw Fail{kExitFailed,
                           "cannot write the return bundle: " + written.error().detail};
            const auto& c = done->counts;
            std::cout << vi.format("bundle.imported_city",
                                   {{"kiosk", done->kioskId},
                                    {"records", std::to_string(done->records)},
                                    {"created", std::to_string(c.created)},
                                    {"duplicate", std::to_string(c.duplicate)},
                                    {"problems", std::to_string(c.conflict + c.rejected)}})
                      << "\n"
                      << vi.format(
                             "bundle.return_written",
                             {{"file", *written}, {"updates", std::to_string(done->statusUpdates)}})
                      << "\n";
        }
        if (refused)
            throw Fail{kExitFailed,
                       std::to_string(refused) + " bundle(s) refused, nothing of them applied"};
    });
}

void registerPublicKey(CLI::App& app, Where& where) {
    auto* cmd = app.add_subcommand(
        "public-key", "Print the backend's public key (base64) for kioskctl init --backend-key");
    cmd->callback([&where] {
        std::error_code ec;
        std::filesystem::create_directories(where.dataDir, ec);
        auto key = platform::keys::DeviceKey::loadOrCreate(keyFile(where.dataDir));
        if (!key) throw Fail{kExitFailed, key.error()};
        std::cout << key->publicKeyBase64() << "\n";
    });
}

void registerConfig(CLI::App& app, Where& where) {
    auto* cmd = app.add_subcommand("config", "Show or set the config document served to kiosks");
    cmd->require_subcommand(1);
    auto* show = cmd->add_subcommand("show", "Print the current document");
    show->callback([&where] {
        auto storage = openWhere(where);
        auto c = storage->config();
        if (!c) throw Fail{kExitStorage, c.error().detail};
        std::cout << (*c ? (*c)->document : defaultServedConfig()) << "\n";
    });
    auto* set = cmd->add_subcommand("set", "Replace the document (checked first)");
    auto file = std::make_shared<std::string>();
    set->add_option("FILE", *file, "JSON document")->required();
    set->callback([&where, file] {
        std::ifstream in(*file);
        std::stringstream ss;
        ss << in.rdbuf();
        if (!in) throw Fail{kExitFailed, "cannot read " + *file};
        const std::string doc = ss.str();
        if (auto parsed = ksync::proto::parseBackendConfig(doc); !parsed)
            throw Fail{kExitFailed, parsed.error()};
        auto storage = openWhere(where);
        const auto c = makeConfigDocument(doc);
        // A new version, kept in the history like the admin pages' (who: "cli"), and only over
        // the version this command read: an admin saving at the same moment is not overwritten
        // unseen (the command reads again and retries).
        for (int attempt = 0;; ++attempt) {
            auto served = storage->config();
            if (!served) throw Fail{kExitStorage, served.error().detail};
            if (*served && (*served)->version == c.version && (*served)->etag == c.etag) {
                std::cout << "config " << c.version << " etag " << c.etag
                          << " (already served, unchanged)\n";
                return;
            }
            ConfigVersionRow row;
            row.version = c.version;
            row.etag = c.etag;
            row.savedBy = "cli";
            row.savedAt = platform::clock::formatUtc(platform::clock::now());
            row.note = "kiosk-backend config set";
            auto saved =
                storage->saveConfigVersion(c, *served ? (*served)->version : std::string{}, row);
            if (!saved) {
                if (!saved.error().transient || attempt >= 5)
                    throw Fail{kExitStorage, saved.error().detail};
                continue;
            }
            if (*saved) break;
            // Refused: another version came first, or this version's name is in the history.
            auto history = storage->configHistory(1000000);
            if (!history) throw Fail{kExitStorage, history.error().detail};
            for (const auto& h : *history)
                if (h.version == c.version)
                    throw Fail{kExitFailed, "version \"" + c.version +
                                                "\" was saved before: give the document a new "
                                                "\"version\""};
            if (attempt >= 5)
                throw Fail{kExitFailed, "the config changed while saving; run the command again"};
        }
        std::cout << "config " << c.version << " etag " << c.etag << "\n";
    });
}

void registerMigrate(CLI::App& app, Where& where) {
    auto* cmd = app.add_subcommand(
        "migrate", "Apply pending schema migrations (serve does too) and print the version");
    cmd->callback([&where] {
        auto storage = openWhere(where);
        auto s = storage->schema();
        if (!s) throw Fail{kExitStorage, s.error().detail};
        std::cout << s->kind << " schema version " << s->version << " of " << s->latest
                  << ", database " << s->backendId << "\n";
    });
}

// Copies a ward's backend (usually SQLite) into the city's (usually PostgreSQL). Every step is
// idempotent and each batch commits together with the progress it reached, so the copy can be
// killed at any point and run again: it resumes, and nothing is lost or stored twice.
void registerCopy(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "copy", "Copy every kiosk, token, record and status event into another database");
    struct Opts {
        std::string from, to;
        std::size_t batch = 500;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--from", o->from, "Source: sqlite:PATH or postgresql://...")->required();
    cmd->add_option("--to", o->to, "Target: postgresql://... or sqlite:PATH")->required();
    cmd->add_option("--batch", o->batch, "Records per transaction (default 500)");
    cmd->callback([o] {
        auto fromUrl = parseDatabaseUrl(o->from);
        if (!fromUrl) throw Fail{kExitUsage, fromUrl.error()};
        auto toUrl = parseDatabaseUrl(o->to);
        if (!toUrl) throw Fail{kExitUsage, toUrl.error()};
        if (fromUrl->target == toUrl->target)
            throw Fail{kExitUsage, "--from and --to are the same database"};
        auto src = openAt(*fromUrl);
        auto dst = openAt(*toUrl);
        auto need = [](auto r, const char* what) {
            if (!r) throw Fail{kExitStorage, std::string(what) + ": " + r.error().detail};
            if constexpr (!std::is_void_v<typename decltype(r)::value_type>) return std::move(*r);
        };
        const auto srcSchema = need(src->schema(), "source schema");
        const auto dstSchema = need(dst->schema(), "target schema");
        if (srcSchema.backendId == dstSchema.backendId)
            throw Fail{kExitUsage, "--from and --to are the same database"};
        need(dst->copyIdentities(need(src->kiosks(), "source kiosks"),
                                 need(src->enrolTokens(), "source tokens"),
                                 need(src->staffTokens(), "source staff tokens")),
             "copy kiosks and tokens");
        if (auto cfg = need(src->config(), "source config");
            cfg && !need(dst->config(), "target config"))
            need(dst->setConfig(*cfg), "copy config");
        auto progress = need(dst->copyProgress(srcSchema.backendId), "copy progress");
        const bool resumed = progress.recordCursor > 0 || progress.eventCursor > 0;
        std::uint64_t records = 0, events = 0;
        for (;;) {
            auto page =
                need(src->recordsAfter(progress.recordCursor, std::max<std::size_t>(1, o->batch)),
                     "read records");
            if (page.records.empty()) break;
            CopyBatch b{srcSchema.backendId, std::move(page.records), {}, {},
                        page.next,           progress.eventCursor};
            records += b.records.size();
            need(dst->copyIn(b), "write records");
            progress.recordCursor = page.next;
        }
        for (;;) {
            auto evs =
                need(src->eventsAfter(progress.eventCursor, std::max<std::size_t>(1, o->batch)),
                     "read status events");
            if (evs.empty()) break;
            const std::int64_t last = evs.back().eventId;
            events += evs.size();
            need(dst->copyIn(CopyBatch{
                     srcSchema.backendId, {}, std::move(evs), {}, progress.recordCursor, last}),
                 "write status events");
            progress.eventCursor = last;
        }
        need(dst->copyIn(CopyBatch{srcSchema.backendId,
                                   {},
                                   {},
                                   need(src->allConflicts(), "read conflicts"),
                                   progress.recordCursor,
                                   progress.eventCursor}),
             "write conflicts");
        // The console's columns of every record (ward, agency, deadline, status, search text,
        // case link), as the source has them now, unless the target's case is newer. A full
        // pass each run: idempotent, so a killed copy simply runs it again.
        std::int64_t indexed = 0;
        for (std::int64_t cursor = 0;;) {
            auto page = need(src->recordIndexAfter(cursor, std::max<std::size_t>(1, o->batch)),
                             "read console columns");
            if (page.rows.empty()) break;
            indexed += need(dst->copyIndexIn(page.rows), "write console columns");
            cursor = page.next;
        }
        // The console's small tables in one transaction (each row once). The config history
        // only when it describes the target's served document: the target has no history yet
        // and serves the source's version (copied above, or the same).
        auto extras = need(src->copyExtras(), "read console tables");
        {
            const auto srcCfg = need(src->config(), "source config");
            const auto dstCfg = need(dst->config(), "target config");
            const bool sameServed = srcCfg && dstCfg && srcCfg->version == dstCfg->version;
            if (!sameServed || !need(dst->configHistory(1), "target history").empty())
                extras.configVersions.clear();
        }
        const auto added = need(dst->copyExtrasIn(extras), "write console tables");
        const auto total = need(dst->recordCount(), "count");
        std::cout << (resumed ? "resumed: " : "") << "copied " << records << " records and "
                  << events << " status events from " << fromUrl->redacted() << " to "
                  << toUrl->redacted() << " (" << total << " records there now)\n";
        std::cout << "console: " << indexed << " records indexed; added " << added.ratings
                  << " ratings, " << added.notes << " notes, " << added.accessLog
                  << " access log rows, " << added.templates << " reply templates, "
                  << added.configVersions << " config versions\n";
    });
}

void registerTrain(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "train-dictionary",
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
                while (end < body.size() && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80)
                    ++end;
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
        std::cout << "dictionary of " << dict->size() << " bytes from " << encoded.size()
                  << " samples\n";
    });
}

// The password for `user add` / `user passwd`: one line from stdin; on a terminal, asked for
// twice without echo.
std::string readPassword() {
    const bool tty = isatty(STDIN_FILENO) != 0;
    auto line = [tty](const char* prompt) {
        termios old{};
        if (tty) {
            std::cerr << prompt << std::flush;
            tcgetattr(STDIN_FILENO, &old);
            termios quiet = old;
            quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
            tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        }
        std::string pw;
        std::getline(std::cin, pw);
        if (tty) {
            tcsetattr(STDIN_FILENO, TCSANOW, &old);
            std::cerr << "\n";
        }
        if (!pw.empty() && pw.back() == '\r') pw.pop_back();
        return pw;
    };
    std::string pw = line("Password: ");
    if (tty && line("Again: ") != pw) throw Fail{kExitUsage, "the passwords differ"};
    if (pw.empty()) throw Fail{kExitUsage, "no password on stdin"};
    return pw;
}

void registerUser(CLI::App& app, Where& where) {
    auto* cmd = app.add_subcommand(
        "user", "Officers' console accounts (the password from stdin or a prompt)");
    cmd->require_subcommand(1);
    auto u = std::make_shared<ConsoleUser>();
    auto* add = cmd->add_subcommand("add", "Create an account");
    add->add_option("--name", u->name, "Login name")->required();
    add->add_option("--role", u->role, "ward, agency, supervisor or admin")->required();
    add->add_option("--ward", u->ward, "The ward code (ward officers)");
    add->add_option("--agency", u->agency, "The agency (agency officers)");
    add->callback([&where, u] {
        auto storage = openWhere(where);
        const std::string pw = readPassword();
        if (auto r = addConsoleUser(*storage, *u, pw); !r) throw Fail{kExitFailed, r.error()};
        std::cout << "user " << u->name << " added (" << u->role << ")\n";
    });
    auto name = std::make_shared<std::string>();
    auto* passwd = cmd->add_subcommand(
        "passwd", "Set a new password (ends the user's sessions, lifts a lock-out)");
    passwd->add_option("--name", *name, "Login name")->required();
    passwd->callback([&where, name] {
        auto storage = openWhere(where);
        const std::string pw = readPassword();
        if (auto r = setConsolePassword(*storage, *name, pw); !r)
            throw Fail{kExitFailed, r.error()};
        std::cout << "password of " << *name << " changed\n";
    });
    auto* disable = cmd->add_subcommand("disable", "Disable an account (ends its sessions)");
    disable->add_option("--name", *name, "Login name")->required();
    disable->callback([&where, name] {
        auto storage = openWhere(where);
        if (auto r = disableConsoleUser(*storage, *name); !r) throw Fail{kExitFailed, r.error()};
        std::cout << "user " << *name << " disabled\n";
    });
}

// Issue #14: the residents' ratings, all cases or one (with its status timeline).
void registerRatings(CLI::App& app, Where& where) {
    auto* cmd = app.add_subcommand(
        "ratings", "Residents' ratings: counts over all cases, or one case's rating");
    auto code = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    cmd->add_option("CODE", *code, "Only this case");
    cmd->add_flag("--json", *json, "Machine-readable output");
    cmd->callback([&where, code, json] {
        auto storage = openWhere(where);
        nlohmann::json out = nlohmann::json::object();
        if (!code->empty()) {
            auto parsed = ksync::record::parseTrackingCode(*code);
            if (!parsed) throw Fail{kExitFailed, "not a valid tracking code"};
            auto r = storage->caseRating(parsed->text());
            if (!r) throw Fail{kExitStorage, r.error().detail};
            out["tracking_code"] = parsed->text();
            out["rating"] = *r ? nlohmann::json((*r)->rating) : nlohmann::json(nullptr);
            out["reopen"] = *r && (*r)->reopen;
            out["rated_at"] = *r ? (*r)->ratedAt : "";
            if (!*json)
                std::cout << parsed->text() << " "
                          << (*r ? (*r)->rating + ((*r)->reopen ? " reopen" : "") : "-") << "\n";
        } else {
            auto counts = storage->ratingCounts();
            if (!counts) throw Fail{kExitStorage, counts.error().detail};
            for (const auto& [k, n] : *counts) {
                out[k] = n;
                if (!*json) std::cout << k << " " << n << "\n";
            }
        }
        if (*json) std::cout << out.dump() << "\n";
    });
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"kiosk-backend — reference city backend for the ward feedback kiosks"};
    app.require_subcommand(1);
    app.fallthrough();
    Where where;
    app.add_option("--data-dir", where.dataDir,
                   "Backend data directory (backend.key; backend.db when SQLite)");
    app.add_option("--database", where.database,
                   "sqlite:PATH or postgresql://USER@HOST/DB (default: sqlite:DATA-DIR/backend.db)")
        ->envname("KIOSK_BACKEND_DATABASE");
    registerServe(app, where);
    registerMigrate(app, where);
    registerCopy(app);
    registerImport(app, where);
    registerPublicKey(app, where);
    registerIssueToken(app, where);
    registerUpdate(app, where);
    registerAudit(app, where);
    registerRatings(app, where);
    registerKiosks(app, where);
    registerConfig(app, where);
    registerTrain(app);
    registerUser(app, where);
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
