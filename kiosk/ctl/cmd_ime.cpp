// kioskctl ime telex|vni|simple|off [--new-style]: the input engine on stdin/stdout, for support
// staff and tests. The keystroke notation is documented in kiosk/input/ime_cli.hpp.
#include <iostream>

#include "ctl/context.hpp"
#include "input/ime_cli.hpp"

namespace kiosk::ctl {

void registerIme(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "ime", "Type keystroke lines from stdin through the Vietnamese input engine");
    struct Opts {
        std::string mode;
        bool newStyle = false;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("MODE", o->mode, "telex, vni, simple or off")->required();
    cmd->add_flag("--new-style", o->newStyle,
                  "New tone placement (hoà, thuỷ) instead of the old (hòa, thủy)");
    cmd->callback([o, &ctx] {
        const int rc = input::runImeCli(o->mode, o->newStyle, std::cin, std::cout, std::cerr);
        if (rc == 2) throw Failure{kExitUsage, ctx.text("ctl.ime_mode_invalid")};
        if (rc != 0) throw Failure{kExitFailed, ctx.text("ctl.ime_bad_utf8")};
    });
}

}  // namespace kiosk::ctl
