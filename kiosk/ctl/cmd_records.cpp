// kioskctl list / show: what this kiosk holds.
#include <iomanip>
#include <iostream>
#include <optional>

#include "client/sync_error.hpp"
#include "ctl/context.hpp"
#include "proto/protocol.hpp"
#include "record/tracking_code.hpp"
#include "record/validation.hpp"

namespace kiosk::ctl {
namespace {

using ksync::record::Record;

std::string statusText(const Context& ctx, const std::string& status) {
    return status.empty() ? std::string{} : ctx.text("status." + status);
}

// Characters as the validator counts them (code points), not bytes.
std::size_t codePoints(std::string_view utf8) {
    return displayWidth(utf8);
}

void registerList(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("list", "List records, newest first");
    auto limit = std::make_shared<std::size_t>(50);
    cmd->add_option("--limit", *limit, "How many (default 50)");
    cmd->callback([&ctx, limit] {
        auto store = ctx.openStore();
        auto rows = store.listRecords(*limit);
        if (!rows) ctx.failStore(rows.error());
        if (ctx.json) {
            auto arr = nlohmann::json::array();
            for (const auto& r : *rows)
                arr.push_back({{"sequence", r.seq},
                               {"tracking_code", r.trackingCode},
                               {"type", ksync::record::typeCode(r.type)},
                               {"category", r.category},
                               {"created_at", r.createdAt},
                               {"outbox", r.outboxState},
                               {"status", r.backendStatus}});
            ctx.printJson(arr);
            return;
        }
        // The backend's latest status first when there is one, then the upload state.
        for (const auto& r : *rows) {
            std::cout << std::setw(7) << r.seq << "  " << r.trackingCode << "  " << r.createdAt
                      << "  " << std::left << std::setw(14) << r.category << std::right << "  ";
            if (!r.backendStatus.empty()) std::cout << statusText(ctx, r.backendStatus) << " · ";
            std::cout << ctx.text("status." + r.outboxState) << "\n";
        }
    });
}

// The human-readable record: the backend's latest status first, then how far the upload got, then
// what the kiosk knows of the record. Every label comes from the string tables of this run's
// language; contact details are never printed (only whether there are any).
void printShow(const Context& ctx, const std::string& canonical, const std::optional<Record>& rec,
               const std::optional<ksync::store::StatusUpdate>& latest,
               const std::vector<ksync::store::StatusUpdate>& history, const std::string& outbox,
               const std::string& outboxReason, const ksync::proto::BackendConfig& config) {
    std::vector<std::pair<std::string, std::string>> rows;
    rows.emplace_back(ctx.text("ctl.show.status"),
                      latest ? ctx.strings.format("ctl.show.status_value",
                                                  {{"status", statusText(ctx, latest->status)},
                                                   {"time", latest->updatedAt}})
                             : ctx.text("ctl.show.status_none"));
    if (rec) {
        const Record& r = *rec;
        if (!outbox.empty())
            rows.emplace_back(ctx.text("ctl.show.upload"),
                              ctx.text("ctl.upload." + outbox) +
                                  (outboxReason.empty() ? "" : " — " + outboxReason));
        rows.emplace_back(ctx.text("field.type"),
                          ctx.text("type." + std::string(ksync::record::typeCode(r.header.type))));
        rows.emplace_back(ctx.text("field.category"), ctx.categoryName(config, r.header.category));
        if (r.sealed)
            rows.emplace_back(ctx.text("field.body"), ctx.text("ctl.content_sealed"));
        else
            rows.emplace_back(ctx.text("field.title"), r.content.title);
        std::string received =
            ctx.strings.format("ctl.show.received_at_value", {{"time", r.header.createdAt}});
        if (!r.header.clockSynced) received += " — " + ctx.text("ctl.show.clock_unsynced");
        rows.emplace_back(ctx.text("ctl.show.received_at"), received);
        std::string channel = ctx.text("ctl.show.channel." +
                                       std::string(ksync::record::channelCode(r.header.channel)));
        if (r.header.staffAssisted) channel += " (" + ctx.text("ctl.show.assisted") + ")";
        rows.emplace_back(ctx.text("field.channel"), channel);
        if (!r.sealed)
            rows.emplace_back(
                ctx.text("ctl.show.contact"),
                ctx.text(r.content.contact ? "ctl.show.contact_given" : "ctl.show.contact_none"));
    }
    std::cout << canonical << "\n";
    printRows(rows, "  ");
    if (history.empty()) return;
    std::cout << "  " << ctx.text("ctl.show.history") << ":\n";
    for (const auto& u : history) {
        std::cout << "    " << u.updatedAt << "  " << statusText(ctx, u.status) << "\n";
        std::vector<std::pair<std::string, std::string>> details;
        if (!u.agency.empty()) details.emplace_back(ctx.text("ctl.show.agency"), u.agency);
        if (!u.officer.empty()) details.emplace_back(ctx.text("ctl.show.officer"), u.officer);
        if (!u.expectedDate.empty())
            details.emplace_back(ctx.text("ctl.show.expected"), u.expectedDate);
        if (!u.note.empty()) details.emplace_back(ctx.text("ctl.show.note"), u.note);
        printRows(details, "      ");
    }
}

void registerShow(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("show", "Show one record and its status history");
    auto code = std::make_shared<std::string>();
    cmd->add_option("CODE", *code, "Tracking code (forgiving: lower case, no dashes, O for 0)")
        ->required();
    cmd->callback([&ctx, code] {
        auto parsed = ksync::record::parseTrackingCode(*code);
        if (!parsed)
            throw Failure{kExitFailed, ctx.strings.format(parsed.error().messageKey(),
                                                          {{"char", parsed.error().badChar}})};
        const std::string canonical = parsed->text();
        auto store = ctx.openStore();
        auto rec = store.findByCode(canonical);
        if (!rec) ctx.failStore(rec.error());
        auto history = store.statusHistory(canonical);
        if (!history) ctx.failStore(history.error());
        auto latest = store.latestStatus(canonical);
        if (!latest) ctx.failStore(latest.error());
        if (!*rec && history->empty())
            throw Failure{kExitFailed,
                          ctx.strings.format("store.not_found", {{"code", canonical}})};

        auto summary = store.summaryByCode(canonical);
        if (!summary) ctx.failStore(summary.error());
        const std::string outbox = *summary ? (*summary)->outboxState : std::string{};
        // A refused record: the backend's reason in words, its code kept for staff.
        const auto refusal = *summary && outbox == "quarantined"
                                 ? ksync::client::parseStoredError((*summary)->outboxError)
                                 : std::nullopt;
        const std::string outboxReason = refusal ? ksync::client::describeStoredError(
                                                       ctx.strings, refusal->code, refusal->detail)
                                                 : std::string{};
        const auto config = ctx.backendConfig(store);
        if (ctx.json) {
            nlohmann::json j{{"tracking_code", canonical}};
            if (*rec) {
                const Record& r = **rec;
                j["header"] = ksync::proto::headerToJson(r.header);
                j["category_name"] = ctx.categoryName(config, r.header.category);
                j["sealed"] = r.sealed;
                if (!r.sealed) {  // plain only on a kiosk that has no backend key yet
                    j["title"] = r.content.title;
                    j["body_chars"] = codePoints(r.content.body);
                    j["body_bytes"] = r.content.body.size();
                    j["anonymous"] = !r.content.contact.has_value();
                }
                j["outbox"] = outbox;
                if (refusal) {
                    j["outbox_reason"] = outboxReason;
                    j["outbox_reason_code"] = refusal->detail;
                }
            }
            auto events = nlohmann::json::array();
            for (const auto& u : *history)
                events.push_back({{"status", u.status},
                                  {"note", u.note},
                                  {"agency", u.agency},
                                  {"officer", u.officer},
                                  {"expected_date", u.expectedDate},
                                  {"updated_at", u.updatedAt}});
            j["history"] = events;
            j["status"] = *latest ? (*latest)->status : std::string{};
            ctx.printJson(j);
            return;
        }
        printShow(ctx, canonical, *rec, *latest, *history, outbox, outboxReason, config);
    });
}

}  // namespace

void registerRecords(CLI::App& app, Context& ctx) {
    registerList(app, ctx);
    registerShow(app, ctx);
}

}  // namespace kiosk::ctl
