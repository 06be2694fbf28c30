// kioskctl code check CODE: is this a well-formed tracking code?
#include <iostream>

#include "ctl/context.hpp"
#include "record/tracking_code.hpp"

namespace kiosk::ctl {

void registerCode(CLI::App& app, Context& ctx) {
    auto* code = app.add_subcommand("code", "Tracking-code tools");
    code->require_subcommand(1);
    auto* check = code->add_subcommand("check", "Check a tracking code's form and check character");
    auto text = std::make_shared<std::string>();
    check->add_option("CODE", *text, "The code as typed or scanned")->required();
    check->callback([&ctx, text] {
        auto parsed = ksync::record::parseTrackingCode(*text);
        if (!parsed) {
            if (ctx.json)
                ctx.printJson({{"ok", false}, {"error", std::string(parsed.error().messageKey())}});
            throw Failure{kExitFailed, ctx.strings.format(parsed.error().messageKey(),
                                                          {{"char", parsed.error().badChar}})};
        }
        if (ctx.json) {
            ctx.printJson({{"ok", true},
                           {"code", parsed->text()},
                           {"type", ksync::record::typeCode(parsed->type)},
                           {"kiosk_id", parsed->kioskId},
                           {"sequence", parsed->sequence}});
        } else {
            std::cout << parsed->text() << "\n";
        }
    });
}

}  // namespace kiosk::ctl
