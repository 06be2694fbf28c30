// kioskctl export / import: USB bundles for communes without a link (docs/USB.md).
#include <iostream>

#include "client/bundle.hpp"
#include "ctl/context.hpp"

namespace kiosk::ctl {
namespace {

using namespace ksync::client;

[[noreturn]] void failBundle(const Context& ctx, const ksync::proto::BundleError& e) {
    const auto code = ksync::proto::bundleRefusalCode(e.refusal);
    if (ctx.json) ctx.printJson({{"refused", code}, {"detail", e.detail}});
    throw Failure{e.refusal == ksync::proto::BundleRefusal::Io ? kExitStorage : kExitFailed,
                  ctx.text(bundleMessageKey(e)) + " (" + std::string(code) + ": " + e.detail + ")"};
}

void registerExport(CLI::App& app, Context& ctx) {
    auto* cmd =
        app.add_subcommand("export", "Write every unacknowledged record to a signed USB bundle");
    auto to = std::make_shared<std::string>();
    cmd->add_option("--to", *to,
                    "Directory (the USB stick's mount point; default: [usb] path of kiosk.toml)");
    cmd->callback([&ctx, to] {
        const auto settings = ctx.settings();
        auto r = exportBundle(ctx.dir(), to->empty() ? settings.usbPath : *to);
        if (!r) failBundle(ctx, r.error());
        if (ctx.json)
            ctx.printJson({{"file", r->file},
                           {"records", r->records},
                           {"first_sequence", r->firstSequence},
                           {"last_sequence", r->lastSequence},
                           {"sealed_first", r->sealedFirst},
                           {"bytes", r->bytes}});
        else
            std::cout << ctx.strings.format(
                             "bundle.exported",
                             {{"records", std::to_string(r->records)}, {"file", r->file}})
                      << "\n";
    });
}

void registerImport(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "import", "Apply a return bundle from the backend (acknowledgements, statuses, config)");
    auto file = std::make_shared<std::string>();
    cmd->add_option(
        "FILE", *file,
        "The return bundle (*.to-kiosk.ksb); default: the newest for this kiosk on the stick");
    cmd->callback([&ctx, file] {
        const auto settings = ctx.settings();
        std::string path = *file;
        if (path.empty()) {
            auto found = findReturnBundle(ctx.dir(), settings.usbPath);
            if (!found) failBundle(ctx, found.error());
            path = *found;
        }
        auto r = importBundle(ctx.dir(), path);
        if (!r) failBundle(ctx, r.error());
        if (ctx.json) {
            ctx.printJson({{"file", path},
                           {"acknowledged", r->acknowledged},
                           {"quarantined", r->quarantined},
                           {"still_queued", r->stillQueued},
                           {"status_updates", r->statusUpdates},
                           {"config_taken", r->configTaken},
                           {"config_version", r->configVersion}});
            return;
        }
        std::cout << ctx.strings.format("bundle.imported_kiosk",
                                        {{"acked", std::to_string(r->acknowledged)},
                                         {"quarantined", std::to_string(r->quarantined)},
                                         {"updates", std::to_string(r->statusUpdates)},
                                         {"queued", std::to_string(r->stillQueued)}})
                  << "\n";
        if (r->configTaken)
            std::cout << ctx.strings.format("bundle.config_taken", {{"version", r->configVersion}})
                      << "\n";
    });
}

}  // namespace

void registerBundle(CLI::App& app, Context& ctx) {
    registerExport(app, ctx);
    registerImport(app, ctx);
}

}  // namespace kiosk::ctl
