// kioskctl — the operator's tool for a kiosk's data directory. See README.md for the commands.
#include <iostream>

#include "ctl/context.hpp"

int main(int argc, char** argv) {
    using namespace kiosk::ctl;
    CLI::App app{"kioskctl — operator tool for the ward feedback kiosk"};
    app.require_subcommand(1);
    app.fallthrough();  // --data-dir / --json / --lang are accepted after the subcommand too
    Context ctx;
    app.add_option("--data-dir", ctx.dataDir,
                   "Kiosk data directory (default: $KIOSK_DATA_DIR or ./kiosk-data)");
    app.add_flag("--json", ctx.json, "Machine-readable output");
    app.add_option("--lang", ctx.lang, "Language of messages: vi (default) or en");

    app.parse_complete_callback([&] { ctx.strings = platform::text::Strings::load(ctx.lang); });

    registerInit(app, ctx);
    registerSubmit(app, ctx);
    registerRecords(app, ctx);
    registerStatus(app, ctx);
    registerCode(app, ctx);
    registerSync(app, ctx);
    registerReceipt(app, ctx);
    registerAnswer(app, ctx);
    registerStaff(app, ctx);
    registerIme(app, ctx);
    registerBundle(app, ctx);
    registerResident(app, ctx);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "kioskctl: " << e.what() << " (kioskctl --help)\n";
        return kExitUsage;
    } catch (const Failure& f) {
        std::cerr << "kioskctl: " << f.message << "\n";
        return f.code;
    }
    return kExitOk;
}
