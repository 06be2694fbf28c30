// kioskctl enroll / sync: the same client the kiosk's worker runs, from the command line.
#include <csignal>
#include <iostream>

#include "client/sync_client.hpp"
#include "client/sync_error.hpp"
#include "client/sync_worker.hpp"
#include "ctl/context.hpp"

namespace kiosk::ctl {
namespace {

using namespace ksync::client;

int exitCodeOf(const SyncError& e) {
    return e.kind == SyncErrorKind::Storage     ? kExitStorage
           : e.kind == SyncErrorKind::BadConfig ? kExitNotReady
                                                : kExitFailed;
}

[[noreturn]] void failSync(const Context& ctx, const SyncError& e) {
    throw Failure{exitCodeOf(e),
                  ctx.strings.format("sync.once_failed", {{"error", ctx.text(e.messageKey())}}) +
                      " (" + e.detail + ")"};
}

// An enrolment that did not go through, in words for the operator who holds the token. The
// backend's refusal code (bad_token, enrolled_with_another_key) arrives only in the technical
// detail of an AuthRefused error ("403 bad_token"), so it is read from there; every other kind
// is worded as the sync layer's error of that kind.
[[noreturn]] void failEnroll(const Context& ctx, const SyncError& e) {
    std::string reason = ctx.text(e.messageKey());
    if (e.kind == SyncErrorKind::AuthRefused && e.detail.ends_with("bad_token"))
        reason = ctx.text("ctl.enroll.bad_token");
    else if (e.kind == SyncErrorKind::AuthRefused &&
             e.detail.ends_with("enrolled_with_another_key"))
        reason = ctx.text("ctl.enroll.other_key");
    throw Failure{exitCodeOf(e), ctx.strings.format("ctl.enroll_failed", {{"reason", reason}}) +
                                     " (" + e.detail + ")"};
}

void registerEnroll(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "enroll", "Register this kiosk's public key with the backend (one-time token)");
    auto token = std::make_shared<std::string>();
    cmd->add_option("--token", *token, "Token from `kiosk-backend issue-token`")->required();
    cmd->callback([&ctx, token] {
        ctx.settings();
        auto client = SyncClient::open(ctx.dir());
        if (!client) failEnroll(ctx, client.error());
        auto fp = client->enroll(*token);
        if (!fp) failEnroll(ctx, fp.error());
        if (ctx.json)
            ctx.printJson({{"kiosk_id", client->kioskId()},
                           {"enrolled", true},
                           {"backend_key_fingerprint", *fp}});
        else
            std::cout << ctx.strings.format("sync.enrolled",
                                            {{"kiosk", client->kioskId()}, {"fingerprint", *fp}})
                      << "\n";
    });
}

void registerSyncCmd(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "sync", "Upload queued records and pull status/config (the worker's logic)");
    struct Opts {
        bool once = false;
        std::size_t batchRecords = 250;
        std::int64_t timeoutMs = 120000;
        std::int64_t pollMs = 60000;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_flag("--once", o->once,
                  "One pass (upload everything, pull), then exit: 0 when it all went through");
    cmd->add_option("--batch-records", o->batchRecords,
                    "Records per batch (default 250, at most 500)");
    cmd->add_option("--timeout-ms", o->timeoutMs, "Per-request timeout (default 120000)");
    cmd->add_option("--poll-ms", o->pollMs,
                    "Without --once: pause between passes when all is sent (default 60000)");
    cmd->callback([&ctx, o] {
        const auto settings = ctx.settings();
        globalInit();
        SyncClientOptions options;
        options.batchRecords = std::max<std::size_t>(1, o->batchRecords);
        options.transport.totalTimeoutMs = o->timeoutMs;
        options.transport.connectTimeoutMs = std::min<std::int64_t>(o->timeoutMs, 15000);
        if (o->once) {
            auto client = SyncClient::open(ctx.dir(), options);
            if (!client) failSync(ctx, client.error());
            if (auto r = client->recover(); !r) failSync(ctx, r.error());
            const auto report = client->runPass();
            if (ctx.json) {
                ctx.printJson({{"ok", report.ok()},
                               {"uploaded", report.uploaded},
                               {"duplicates", report.duplicates},
                               {"quarantined", report.quarantined},
                               {"status_updates", report.statusUpdates},
                               {"config_changed", report.configChanged},
                               {"batches", report.batches},
                               {"error", report.error ? ctx.text(report.error->messageKey())
                                                      : std::string{}}});
            } else if (report.ok()) {
                std::cout << ctx.strings.format(
                                 "sync.once_ok",
                                 {{"uploaded", std::to_string(report.uploaded)},
                                  {"quarantined", std::to_string(report.quarantined)},
                                  {"updates", std::to_string(report.statusUpdates)}})
                          << "\n";
            }
            if (!report.ok()) failSync(ctx, *report.error);
            return;
        }
        // Foreground worker until SIGINT/SIGTERM (waited for with sigwait: no handler, no global).
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
        SyncWorkerOptions wo;
        wo.client = options;
        wo.idlePollMs = o->pollMs;
        SyncWorker worker(ctx.dir(), wo, [&ctx](const SyncEvent& e) {
            if (e.kind != SyncEvent::Kind::PassFinished) return;
            const auto& s = e.snapshot;
            // The worker gives a code; text that is not one is a sentence an older version stored.
            const std::string words =
                describeStoredError(ctx.strings, s.lastError, s.lastErrorDetail);
            const std::string result = s.lastError.empty() ? ctx.text("ctl.sync.pass_ok")
                                       : words.empty()     ? s.lastError
                                                           : words;
            std::cout << ctx.strings.format("ctl.sync.pass",
                                            {{"result", result},
                                             {"queued", std::to_string(s.queued)},
                                             {"quarantined", std::to_string(s.quarantined)},
                                             {"uploaded", std::to_string(e.report.uploaded)}})
                      << std::endl;
        });
        std::cout << ctx.strings.format("sync.running", {{"backend", settings.backendUrl}})
                  << std::endl;
        worker.start();
        int sig = 0;
        sigwait(&set, &sig);
        worker.stop();
    });
}

}  // namespace

void registerSync(CLI::App& app, Context& ctx) {
    registerEnroll(app, ctx);
    registerSyncCmd(app, ctx);
}

}  // namespace kiosk::ctl
