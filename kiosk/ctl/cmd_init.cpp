// kioskctl init: provision a kiosk's data directory (kiosk.toml + database).
#include <iostream>

#include "client/sync_client.hpp"
#include "ctl/context.hpp"
#include "keys/device_key.hpp"
#include "record/tracking_code.hpp"

namespace kiosk::ctl {

void registerInit(CLI::App& app, Context& ctx) {
    auto* cmd =
        app.add_subcommand("init", "Provision a kiosk: write kiosk.toml and create the database");
    struct Opts {
        std::string kioskId, centre = "Trung tâm phục vụ hành chính công",
                             backend = "http://127.0.0.1:8470", printer = "none", language = "vi";
        std::string staffPin, backendKey, caBundle, pinnedKey;
        bool force = false;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--kiosk-id", o->kioskId,
                    "4 symbols: 0-9, A-Z without I L O U Z (assigned by the operator)")
        ->required();
    cmd->add_option("--centre", o->centre, "Centre name printed on receipts");
    cmd->add_option("--backend", o->backend, "City backend URL");
    cmd->add_option("--printer", o->printer,
                    "Printer URI (none, file:///…, escpos+tcp://host:9100, …)");
    cmd->add_option("--language", o->language, "Default language: vi or en");
    cmd->add_option("--staff-pin", o->staffPin,
                    "Staff PIN (4-8 digits) for the kiosk's staff panel; stored hashed");
    cmd->add_option(
        "--backend-key", o->backendKey,
        "The backend's public key (kiosk-backend public-key): content is sealed to it from the "
        "first record, and enrolment accepts no other server");
    cmd->add_option(
        "--ca-bundle", o->caBundle,
        "PEM file of the CA that signed the backend's TLS certificate: only it is trusted");
    cmd->add_option(
        "--pinned-key", o->pinnedKey,
        "Pin the TLS server's public key: sha256//<base64 of the SHA-256 of its DER key>");
    cmd->add_flag("--force", o->force,
                  "Rewrite kiosk.toml of an initialised directory with another kiosk id");
    cmd->callback([&ctx, o] {
        using namespace ksync::store;
        std::string id = o->kioskId;
        for (auto& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (!ksync::record::isValidKioskId(id))
            throw Failure{kExitUsage, ctx.text("ctl.kiosk_id_invalid")};
        const DataDir dir = ctx.dir();
        if (auto existing = loadSettings(dir); existing && existing->kioskId != id && !o->force)
            throw Failure{kExitFailed, ctx.strings.format("ctl.already_initialised",
                                                          {{"kiosk", existing->kioskId}})};
        KioskSettings s;
        s.kioskId = id;
        s.centre = o->centre;
        s.language = o->language;
        s.backendUrl = o->backend;
        s.printerUri = o->printer;
        if (auto existing = loadSettings(dir)) {
            s.caBundle = existing->caBundle;
            s.staffPinHash = existing->staffPinHash;
            s.pinnedPublicKey = existing->pinnedPublicKey;
        }
        if (!o->caBundle.empty()) s.caBundle = std::filesystem::absolute(o->caBundle).string();
        if (!o->pinnedKey.empty()) {
            if (!o->pinnedKey.starts_with("sha256//"))
                throw Failure{kExitUsage, ctx.text("ctl.pinned_key_invalid")};
            s.pinnedPublicKey = o->pinnedKey;
        }
        if (o->backend.starts_with("http://") && !ksync::client::isLoopbackUrl(o->backend))
            throw Failure{kExitUsage, ctx.text("sync.error.plain_http")};
        if (!o->staffPin.empty()) s.staffPinHash = hashStaffPin(ctx, o->staffPin);
        if (!o->backendKey.empty() &&
            !platform::keys::SealingKey::fromPublicKeyBase64(o->backendKey))
            throw Failure{kExitUsage, ctx.text("ctl.backend_key_invalid")};
        std::error_code ec;
        std::filesystem::create_directories(dir.root, ec);
        if (ec)
            throw Failure{kExitStorage,
                          ctx.strings.format("ctl.cannot_create_dir", {{"dir", dir.root.string()},
                                                                       {"reason", ec.message()}})};
        auto store = Store::open(dir.database());
        if (!store) ctx.failStore(store.error());
        if (auto r = saveSettings(dir, s); !r) throw Failure{kExitStorage, r.error()};
        if (auto r = store->setState("kiosk_id", id); !r) ctx.failStore(r.error());
        if (!o->backendKey.empty()) {
            // Replacing a key the kiosk already seals to would strand what it sealed: refused.
            auto current = store->state(kStateBackendKey);
            if (!current) ctx.failStore(current.error());
            if (*current && !(*current)->empty() && **current != o->backendKey)
                throw Failure{kExitFailed, ctx.text("ctl.backend_key_differs")};
            if (auto r = store->setState(kStateBackendKey, o->backendKey); !r)
                ctx.failStore(r.error());
            if (auto r = store->sealPlainRecords(); !r) ctx.failStore(r.error());
        }
        // The device key pair: made once, kept across re-init (the backend knows this key).
        auto key = platform::keys::DeviceKey::loadOrCreate(ksync::client::deviceKeyFile(dir));
        if (!key) throw Failure{kExitStorage, key.error()};
        if (ctx.json) {
            ctx.printJson({{"kiosk_id", id},
                           {"data_dir", dir.root.string()},
                           {"schema", store->schemaVersion()},
                           {"device_key_fingerprint", key->fingerprint()},
                           {"backend_key_pinned", !o->backendKey.empty()}});
        } else {
            std::cout << ctx.strings.format("ctl.init_done",
                                            {{"kiosk", id}, {"dir", dir.root.string()}})
                      << "\n";
            std::cout << ctx.strings.format("sync.device_key",
                                            {{"fingerprint", key->fingerprint()}})
                      << "\n";
        }
    });
}

}  // namespace kiosk::ctl
