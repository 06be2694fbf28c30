// kioskctl status / verify / categories.
#include <iostream>

#include "client/sync_error.hpp"
#include "clock/clock.hpp"
#include "ctl/context.hpp"

namespace kiosk::ctl {
namespace {

void registerStatusCmd(CLI::App& app, Context& ctx) {
    auto* cmd =
        app.add_subcommand("status", "Queue depth, oldest queued record, last contact, last error");
    cmd->callback([&ctx] {
        const auto settings = ctx.settings();
        auto store = ctx.openStore();
        auto stats = store.outboxStats();
        if (!stats) ctx.failStore(stats.error());
        auto count = store.recordCount();
        if (!count) ctx.failStore(count.error());
        auto unsealed = store.unsealedCount();
        if (!unsealed) ctx.failStore(unsealed.error());
        auto state = [&](const char* key) {
            auto v = store.state(key);
            if (!v) ctx.failStore(v.error());
            return v->value_or("");
        };
        const std::string lastContact = state("last_contact");
        // The sync layer stores a code; it is worded here in this run's language. A sentence an
        // older version stored (not a code) is shown as it is.
        const std::string lastErrorStored = state("last_error");
        const auto lastErrorCode = ksync::client::parseStoredError(lastErrorStored);
        const std::string lastError =
            lastErrorCode ? ksync::client::describeStoredError(ctx.strings, lastErrorCode->code,
                                                               lastErrorCode->detail)
                          : lastErrorStored;
        const bool sealing = !state(std::string(ksync::store::kStateBackendKey).c_str()).empty();
        const std::int64_t nowMs = platform::clock::unixMillis(platform::clock::now());
        std::optional<std::int64_t> oldestAgeMs;
        if (stats->oldestQueuedMs)
            oldestAgeMs = std::max<std::int64_t>(0, nowMs - *stats->oldestQueuedMs);
        // The refused records, each with the backend's reason in words and its code for staff.
        auto refusedRows = store.quarantined();
        if (!refusedRows) ctx.failStore(refusedRows.error());
        auto refused = nlohmann::json::array();
        std::vector<std::string> refusedLines;
        for (const auto& r : *refusedRows) {
            const auto e = ksync::client::parseStoredError(r.outboxError);
            const std::string words =
                e ? ksync::client::describeStoredError(ctx.strings, e->code, e->detail)
                  : r.outboxError;
            refused.push_back({{"tracking_code", r.trackingCode},
                               {"reason", words},
                               {"reason_code", e ? e->detail : std::string{}}});
            refusedLines.push_back(
                ctx.strings.format("staff.refused", {{"code", r.trackingCode}, {"reason", words}}));
        }
        if (ctx.json) {
            ctx.printJson(
                {{"kiosk_id", settings.kioskId},
                 {"centre", settings.centre},
                 {"backend", settings.backendUrl},
                 {"data_dir", ctx.dir().root.string()},
                 {"schema", store.schemaVersion()},
                 {"records", *count},
                 {"queued", stats->queued},
                 {"uploaded", stats->uploaded},
                 {"quarantined", stats->quarantined},
                 {"refused", refused},
                 {"sealing", sealing},
                 {"unsealed", *unsealed},
                 {"oldest_queued_age_s",
                  oldestAgeMs ? nlohmann::json(*oldestAgeMs / 1000) : nlohmann::json()},
                 {"last_contact",
                  lastContact.empty() ? nlohmann::json() : nlohmann::json(lastContact)},
                 {"last_error", lastError.empty() ? nlohmann::json() : nlohmann::json(lastError)},
                 {"last_error_code",
                  lastErrorCode ? nlohmann::json(lastErrorCode->code) : nlohmann::json()}});
            return;
        }
        const std::vector<std::pair<std::string, std::string>> rows{
            {ctx.text("ctl.status.data_dir"), ctx.dir().root.string()},
            {ctx.text("ctl.status.backend"), settings.backendUrl},
            {ctx.text("ctl.status.records"), std::to_string(*count)},
            {ctx.text("ctl.status.queued"), std::to_string(stats->queued)},
            {ctx.text("ctl.status.oldest"),
             oldestAgeMs ? describeAge(ctx, *oldestAgeMs) : std::string("—")},
            {ctx.text("ctl.status.uploaded"), std::to_string(stats->uploaded)},
            {ctx.text("ctl.status.quarantined"), std::to_string(stats->quarantined)},
            {ctx.text("ctl.status.sealing"),
             ctx.strings.format(sealing ? "ctl.sealing_on" : "ctl.sealing_off",
                                {{"count", std::to_string(*unsealed)}})},
            {ctx.text("ctl.status.last_contact"),
             lastContact.empty() ? ctx.text("ctl.never") : lastContact},
            {ctx.text("ctl.status.last_error"), lastError.empty() ? std::string("—") : lastError},
        };
        std::cout << ctx.strings.format("ctl.status.kiosk",
                                        {{"kiosk", settings.kioskId}, {"centre", settings.centre}})
                  << "\n";
        // The value column where it has always been, in both languages (the longest Vietnamese
        // label, "Liên lạc lần cuối:"), for whoever reads these lines with a script.
        printRows(rows, "  ", 18);
        for (const auto& line : refusedLines) std::cout << "  " << line << "\n";
    });
}

void registerVerify(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "verify", "SQLite integrity check plus the hash chain from the first record");
    cmd->callback([&ctx] {
        auto store = ctx.openStore();
        auto rep = store.verify();
        if (!rep) ctx.failStore(rep.error());
        if (ctx.json) {
            auto problems = nlohmann::json::array();
            for (const auto& p : rep->problems)
                problems.push_back({{"sequence", p.seq}, {"reason", p.reason}});
            ctx.printJson({{"ok", rep->ok()},
                           {"integrity", rep->integrity},
                           {"records", rep->records},
                           {"problems", problems}});
        } else if (rep->ok()) {
            std::cout << ctx.strings.format("ctl.verify_ok",
                                            {{"count", std::to_string(rep->records)}})
                      << "\n";
        } else {
            if (rep->integrity != "ok")
                std::cout << ctx.strings.format("ctl.verify_integrity",
                                                {{"result", rep->integrity}})
                          << "\n";
            for (const auto& p : rep->problems)
                std::cout << "  #" << p.seq << ": " << p.reason << "\n";
        }
        if (!rep->ok()) {
            const auto& first = rep->problems.empty()
                                    ? ksync::store::VerifyProblem{0, rep->integrity}
                                    : rep->problems.front();
            throw Failure{kExitFailed, ctx.strings.format("ctl.verify_failed",
                                                          {{"seq", std::to_string(first.seq)},
                                                           {"reason", first.reason}})};
        }
    });
}

void registerBackup(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "backup", "Write a consistent copy of the database to FILE (safe while the kiosk runs)");
    auto file = std::make_shared<std::string>();
    cmd->add_option("FILE", *file, "New file to write (never overwritten)")->required();
    cmd->callback([&ctx, file] {
        auto store = ctx.openStore();
        if (auto r = store.backupTo(*file); !r) {
            if (r.error().kind == ksync::store::ErrorKind::Invalid)
                throw Failure{kExitFailed,
                              ctx.strings.format("ctl.backup_exists", {{"file", *file}})};
            ctx.failStore(r.error());
        }
        auto unsealed = store.unsealedCount();
        if (!unsealed) ctx.failStore(unsealed.error());
        if (ctx.json) {
            ctx.printJson({{"file", *file}, {"unsealed", *unsealed}});
        } else {
            std::cout << ctx.strings.format("ctl.backup_done", {{"file", *file}}) << "\n";
            if (*unsealed > 0)
                std::cout << ctx.strings.format("ctl.sealing_off",
                                                {{"count", std::to_string(*unsealed)}})
                          << "\n";
        }
    });
}

void registerCategories(CLI::App& app, Context& ctx) {
    auto* cmd =
        app.add_subcommand("categories", "Categories (lĩnh vực) from the cached or default config");
    cmd->callback([&ctx] {
        auto store = ctx.openStore();
        const auto config = ctx.backendConfig(store);
        const bool en = ctx.strings.language() == "en";
        if (ctx.json) {
            auto arr = nlohmann::json::array();
            for (const auto& c : config.categories)
                arr.push_back({{"code", c.code}, {"name_vi", c.nameVi}, {"name_en", c.nameEn}});
            ctx.printJson({{"version", config.version}, {"categories", arr}});
            return;
        }
        for (const auto& c : config.categories)
            std::cout << c.code << "\t" << (en ? c.nameEn : c.nameVi) << "\n";
    });
}

}  // namespace

void registerStatus(CLI::App& app, Context& ctx) {
    registerStatusCmd(app, ctx);
    registerBackup(app, ctx);
    registerVerify(app, ctx);
    registerCategories(app, ctx);
}

}  // namespace kiosk::ctl
