// kioskctl supplement / rate (issue #14): staff key in what a resident sends on paper or by
// phone for a case they hold the receipt of — information added later, or a rating of the
// answer. Both need the receipt's secret; the code alone is refused. A case this kiosk made is
// checked here at once; any other is checked by the backend when the record is uploaded (a wrong
// secret then comes back as a rejection and the record is quarantined for staff).
#include <fstream>
#include <iostream>
#include <sstream>

#include "clock/clock.hpp"
#include "ctl/context.hpp"
#include "record/validation.hpp"
#include "store/additions.hpp"

namespace kiosk::ctl {
namespace {

std::string readAll(std::istream& in) {
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string readBodyFile(const Context& ctx, const std::string& file) {
    if (file == "-") return readAll(std::cin);
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Failure{kExitFailed, ctx.strings.format("ctl.cannot_read_file", {{"file", file}})};
    return readAll(in);
}

[[noreturn]] void failValidation(const Context& ctx,
                                 const std::vector<ksync::record::FieldError>& errors) {
    std::string msg;
    for (const auto& e : errors) {
        if (!msg.empty()) msg += " ";
        msg += ctx.text(ksync::record::fieldKey(e.field)) + ": " +
               ctx.strings.format(e.messageKey, {{"count", std::to_string(e.count)},
                                                 {"max", std::to_string(e.max)}});
    }
    throw Failure{kExitFailed, msg};
}

// The local check and the commit, shared by both commands. Prints after the commit only.
void commitAddition(Context& ctx, const ksync::record::ValidDraft& valid,
                    std::string_view doneKey) {
    using namespace ksync;
    const auto settings = ctx.settings();
    auto store = ctx.openStore();
    const auto now = platform::clock::now();
    auto out = ksync::store::commitAddition(store, valid, settings.kioskId,
                                            platform::clock::formatUtc(now),
                                            platform::clock::isSystemClockSynchronised());
    if (!out) ctx.failStore(out.error());
    const auto* check = &out->check;
    switch (*check) {
        case store::ProofCheck::Mismatch:
            throw Failure{kExitFailed, ctx.strings.format("proof.mismatch",
                                                          {{"code", valid.content.parentCode}})};
        case store::ProofCheck::OldReceipt:
            throw Failure{kExitFailed, ctx.strings.format("proof.old_receipt",
                                                          {{"code", valid.content.parentCode}})};
        case store::ProofCheck::Match:
        case store::ProofCheck::NotHere:
            break;
    }
    const auto& rec = out->record;
    if (ctx.json) {
        ctx.printJson({{"parent_code", valid.content.parentCode},
                       {"kind", record::kindCode(valid.content.kind)},
                       {"tracking_code", rec->header.trackingCode},
                       {"id", rec->header.id},
                       {"sequence", rec->header.sequence},
                       {"proof_checked_here", *check == store::ProofCheck::Match}});
    } else {
        std::cout << ctx.strings.format(doneKey, {{"code", valid.content.parentCode},
                                                  {"own", rec->header.trackingCode}})
                  << "\n";
        if (*check == store::ProofCheck::NotHere)
            std::cout << ctx.text("ctl.proof_unchecked") << "\n";
    }
}

}  // namespace

void registerResident(CLI::App& app, Context& ctx) {
    {
        auto* cmd = app.add_subcommand("supplement",
                                       "Add information to a case (needs the receipt's secret)");
        struct Opts {
            ksync::record::SupplementDraft d;
            std::string bodyFile;
        };
        auto o = std::make_shared<Opts>();
        o->d.channel = "staff_entry";
        cmd->add_option("code", o->d.parentCode,
                        "The case's tracking code (or the receipt's scanned QR text)")
            ->required();
        cmd->add_option("--secret", o->d.secret,
                        "The secret printed on the receipt (XXXX-XXXX-XXXXX)");
        auto* body = cmd->add_option("--body", o->d.body, "The information added");
        auto* bodyFile =
            cmd->add_option("--body-file", o->bodyFile, "Read it from a file (- for stdin)");
        body->excludes(bodyFile);
        cmd->add_option("--channel", o->d.channel, "staff_entry (default) or kiosk");
        cmd->add_flag("--staff-assisted", o->d.staffAssisted,
                      "Entered at the kiosk with staff help");
        cmd->add_option("--language", o->d.language, "vi (default) or en");
        cmd->callback([&ctx, o] {
            ksync::record::SupplementDraft d = o->d;
            if (!o->bodyFile.empty()) d.body = readBodyFile(ctx, o->bodyFile);
            auto valid = ksync::record::validateSupplement(d);
            if (!valid) failValidation(ctx, valid.error());
            commitAddition(ctx, *valid, "ctl.supplement_done");
        });
    }
    {
        auto* cmd = app.add_subcommand(
            "rate", "Record the resident's rating of a case's answer (needs the secret)");
        auto d = std::make_shared<ksync::record::RatingDraft>();
        d->channel = "staff_entry";
        cmd->add_option("code", d->parentCode,
                        "The case's tracking code (or the receipt's scanned QR text)")
            ->required();
        cmd->add_option("--secret", d->secret,
                        "The secret printed on the receipt (XXXX-XXXX-XXXXX)");
        cmd->add_option("--rating", d->rating, "hai_long, tam_chap_nhan or chua_hai_long")
            ->required();
        cmd->add_option("--comment", d->comment, "Optional comment");
        cmd->add_flag("--reopen", d->reopen,
                      "Ask for the case to be reopened (with chua_hai_long)");
        cmd->add_option("--reason", d->reopenReason, "Why it should be reopened");
        cmd->add_option("--channel", d->channel, "staff_entry (default) or kiosk");
        cmd->add_flag("--staff-assisted", d->staffAssisted, "Entered at the kiosk with staff help");
        cmd->add_option("--language", d->language, "vi (default) or en");
        cmd->callback([&ctx, d] {
            auto valid = ksync::record::validateRating(*d);
            if (!valid) failValidation(ctx, valid.error());
            commitAddition(ctx, *valid, "ctl.rating_done");
        });
    }
}

}  // namespace kiosk::ctl
