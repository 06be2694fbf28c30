// kioskctl submit: staff key in a submission that came on paper or by phone.
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/receipt_builder.hpp"
#include "clock/clock.hpp"
#include "ctl/context.hpp"
#include "print/local_date.hpp"
#include "record/receipt_proof.hpp"
#include "record/validation.hpp"

namespace kiosk::ctl {
namespace {

std::string readAll(std::istream& in) {
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

void registerSubmit(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("submit", "Record a submission (prints its tracking code)");
    struct Opts {
        ksync::record::Draft d;
        std::string bodyFile;
        bool anonymous = false;
    };
    auto o = std::make_shared<Opts>();
    o->d.type = "PAKN";
    o->d.channel = "staff_entry";
    cmd->add_option("--type", o->d.type,
                    "PAKN (phản ánh, kiến nghị) or SKGP (sáng kiến, giải pháp)");
    cmd->add_option("--category", o->d.category, "Category code (kioskctl categories)")->required();
    cmd->add_option("--title", o->d.title,
                    "Title (trích yếu); suggested from the body when omitted");
    auto* body = cmd->add_option("--body", o->d.body, "Content");
    auto* bodyFile =
        cmd->add_option("--body-file", o->bodyFile, "Read the content from a file (- for stdin)");
    body->excludes(bodyFile);
    cmd->add_option("--ward", o->d.wardCode, "Ward code where the problem is");
    cmd->add_option("--location", o->d.locationAddress, "Address where the problem is");
    cmd->add_option("--name", o->d.name, "Sender's name");
    cmd->add_option("--phone", o->d.phone, "Sender's phone");
    cmd->add_option("--email", o->d.email, "Sender's email");
    cmd->add_option("--address", o->d.contactAddress, "Sender's address");
    cmd->add_flag("--consent", o->d.consent, "The sender agreed to personal-data processing");
    cmd->add_flag("--anonymous", o->anonymous, "No contact details");
    cmd->add_option("--channel", o->d.channel, "staff_entry (default) or kiosk");
    cmd->add_flag("--staff-assisted", o->d.staffAssisted, "Entered at the kiosk with staff help");
    cmd->add_option("--language", o->d.language, "vi (default) or en");
    cmd->callback([&ctx, o] {
        using namespace ksync;
        record::Draft d = o->d;
        if (!o->bodyFile.empty()) {
            if (o->bodyFile == "-") {
                d.body = readAll(std::cin);
            } else {
                std::ifstream in(o->bodyFile, std::ios::binary);
                if (!in)
                    throw Failure{kExitFailed, ctx.strings.format("ctl.cannot_read_file",
                                                                  {{"file", o->bodyFile}})};
                d.body = readAll(in);
            }
        }
        const bool anyContact =
            !d.name.empty() || !d.phone.empty() || !d.email.empty() || !d.contactAddress.empty();
        if (o->anonymous && anyContact)
            throw Failure{kExitUsage, ctx.text("ctl.anonymous_with_contact")};
        d.anonymous = !anyContact;
        const auto settings = ctx.settings();
        auto store = ctx.openStore();
        const auto config = ctx.backendConfig(store);
        if (d.consentVersion.empty()) d.consentVersion = config.consentVersion;

        auto valid = record::validateDraft(d);
        if (!valid) {
            std::string msg;
            for (const auto& e : valid.error()) {
                if (!msg.empty()) msg += " ";
                msg += ctx.text(record::fieldKey(e.field)) + ": " +
                       ctx.strings.format(e.messageKey, {{"count", std::to_string(e.count)},
                                                         {"max", std::to_string(e.max)}});
            }
            throw Failure{kExitFailed, msg};
        }
        if (!config.findCategory(valid->category)) {
            std::string codes;
            for (const auto& c : config.categories) codes += (codes.empty() ? "" : ", ") + c.code;
            throw Failure{kExitFailed,
                          ctx.text("validation.category_required") + " (" + codes + ")"};
        }
        const auto now = platform::clock::now();
        auto rec = store.createRecord(*valid, settings.kioskId, platform::clock::formatUtc(now),
                                      platform::clock::isSystemClockSynchronised());
        if (!rec) ctx.failStore(rec.error());
        if (ctx.json) {
            ctx.printJson(
                {{"tracking_code", rec->header.trackingCode},
                 {"id", rec->header.id},
                 {"sequence", rec->header.sequence},
                 {"hash", rec->header.hash},
                 {"title", rec->content.title},
                 {"secret", record::formatSecret(rec->receiptSecret)},
                 // The receipt's expected reply date (the config's calendar).
                 {"reply_by", platform::print::formatIsoDate(
                                  app::receiptInputFor(*rec, settings, config, "vi").replyBy)}});
        } else {
            // The code on the first line (scripts read it); the receipt's secret, which the
            // resident needs to add information or rate the answer, on the second. It is shown
            // once: nothing keeps it.
            std::cout << rec->header.trackingCode << "\n"
                      << ctx.strings.format("ctl.submit_secret",
                                            {{"secret", record::formatSecret(rec->receiptSecret)}})
                      << "\n";
        }
    });
}

}  // namespace kiosk::ctl
