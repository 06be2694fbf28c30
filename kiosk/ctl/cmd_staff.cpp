// kioskctl set-pin: the staff panel's PIN (stored as an Argon2id hash in kiosk.toml).
#include <iostream>

#include "auth/staff_pin.hpp"
#include "ctl/context.hpp"

namespace kiosk::ctl {

std::string hashStaffPin(const Context& ctx, const std::string& pin) {
    if (!platform::auth::isAcceptablePin(pin))
        throw Failure{kExitUsage, ctx.text("ctl.pin_invalid")};
    auto hash = platform::auth::hashPin(pin);
    if (!hash) throw Failure{kExitFailed, ctx.text("ctl.pin_hash_failed")};
    return *hash;
}

void registerStaff(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "set-pin", "Set the staff PIN (4-8 digits), read from stdin when not given");
    auto pin = std::make_shared<std::string>();
    cmd->add_option("PIN", *pin,
                    "The new PIN (prefer stdin: command lines end up in shell history)");
    cmd->callback([&ctx, pin] {
        std::string value = *pin;
        if (value.empty()) std::getline(std::cin, value);
        auto s = ctx.settings();
        s.staffPinHash = hashStaffPin(ctx, value);
        if (auto r = ksync::store::saveSettings(ctx.dir(), s); !r)
            throw Failure{kExitStorage, r.error()};
        if (!ctx.json) std::cout << ctx.text("ctl.pin_set") << "\n";
    });
}

}  // namespace kiosk::ctl
