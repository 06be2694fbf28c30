// kioskctl list / show: what this kiosk holds.
#include <iomanip>
#include <iostream>

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
        for (const auto& r : *rows) {
            std::cout << std::setw(7) << r.seq << "  " << r.trackingCode << "  " << r.createdAt << "  "
                      << std::left << std::setw(14) << r.category << std::right << "  "
                      << ctx.text("status." + r.outboxState);
            if (!r.backendStatus.empty()) std::cout << " · " << statusText(ctx, r.backendStatus);
            std::cout << "\n";
        }
    });
}

void registerShow(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("show", "Show one record and its status history");
    auto code = std::make_shared<std::string>();
    cmd->add_option("CODE", *code, "Tracking code (forgiving: lower case, no dashes, O for 0)")->required();
    cmd->callback([&ctx, code] {
        auto parsed = ksync::record::parseTrackingCode(*code);
        if (!parsed)
            throw Failure{kExitFailed, ctx.strings.format(parsed.error().messageKey(), {{"char", parsed.error().badChar}})};
        const std::string canonical = parsed->text();
        auto store = ctx.openStore();
        auto rec = store.findByCode(canonical);
        if (!rec) ctx.failStore(rec.error());
        auto history = store.statusHistory(canonical);
        if (!history) ctx.failStore(history.error());
        auto latest = store.latestStatus(canonical);
        if (!latest) ctx.failStore(latest.error());
        if (!*rec && history->empty())
            throw Failure{kExitFailed, ctx.strings.format("store.not_found", {{"code", canonical}})};

        auto summary = store.summaryByCode(canonical);
        if (!summary) ctx.failStore(summary.error());
        const std::string outbox = *summary ? (*summary)->outboxState : std::string{};
        if (ctx.json) {
            nlohmann::json j{{"tracking_code", canonical}};
            if (*rec) {
                const Record& r = **rec;
                j["header"] = ksync::proto::headerToJson(r.header);
                j["sealed"] = r.sealed;
                if (!r.sealed) {  // plain only on a kiosk that has no backend key yet
                    j["title"] = r.content.title;
                    j["body_chars"] = r.content.body.size();
                    j["anonymous"] = !r.content.contact.has_value();
                }
                j["outbox"] = outbox;
            }
            auto events = nlohmann::json::array();
            for (const auto& u : *history)
                events.push_back({{"status", u.status}, {"note", u.note}, {"agency", u.agency},
                                  {"officer", u.officer}, {"expected_date", u.expectedDate},
                                  {"updated_at", u.updatedAt}});
            j["history"] = events;
            j["status"] = *latest ? (*latest)->status : std::string{};
            ctx.printJson(j);
            return;
        }
        std::cout << canonical << "\n";
        if (*rec) {
            const Record& r = **rec;
            std::cout << "  " << ctx.text("status." + outbox) << "\n";
            std::cout << "  " << ctx.text("field.type") << ": " << ctx.text("type." + std::string(ksync::record::typeCode(r.header.type))) << "\n"
                      << "  " << ctx.text("field.category") << ": " << r.header.category << "\n";
            if (r.sealed)
                std::cout << "  " << ctx.text("field.body") << ": " << ctx.text("ctl.content_sealed") << "\n";
            else
                std::cout << "  " << ctx.text("field.title") << ": " << r.content.title << "\n";
            std::cout << "  created: " << r.header.createdAt << (r.header.clockSynced ? "" : " (clock not synchronised)") << "\n"
                      << "  channel: " << ksync::record::channelCode(r.header.channel)
                      << (r.header.staffAssisted ? " (staff-assisted)" : "") << "\n";
            if (!r.sealed)
                std::cout << "  " << ctx.text("contact.title") << ": "
                          << (r.content.contact ? ctx.text("contact.with") : ctx.text("review.anonymous")) << "\n";
        }
        for (const auto& u : *history) {
            std::cout << "  " << u.updatedAt << "  " << statusText(ctx, u.status);
            if (!u.agency.empty()) std::cout << " — " << u.agency;
            if (!u.officer.empty()) std::cout << " (" << u.officer << ")";
            if (!u.expectedDate.empty()) std::cout << " → " << u.expectedDate;
            if (!u.note.empty()) std::cout << "\n      " << u.note;
            std::cout << "\n";
        }
    });
}

}  // namespace

void registerRecords(CLI::App& app, Context& ctx) {
    registerList(app, ctx);
    registerShow(app, ctx);
}

}  // namespace kiosk::ctl
