// kioskctl print-answer: a case's published answer (*In kết quả*) without a screen — to a
// file (.bin ESC/POS, .png, .pdf; --a4 for an A4 form over as many pages as it needs) or to
// the kiosk's printer. The answer is the one in this kiosk's status cache.
#include <iostream>

#include "app/receipt_builder.hpp"
#include "clock/clock.hpp"
#include "ctl/context.hpp"
#include "print/escpos.hpp"
#include "print/image_writers.hpp"
#include "print/printer.hpp"
#include "record/tracking_code.hpp"

namespace kiosk::ctl {
namespace {

namespace print = platform::print;

struct Opts {
    std::string code, out, printer;
    int paper = 80;
    bool a4 = false;
};

print::AnswerSlip loadAnswer(const Context& ctx, const std::string& typed) {
    auto parsed = ksync::record::parseTrackingCode(typed);
    if (!parsed)
        throw Failure{kExitFailed, ctx.strings.format(parsed.error().messageKey(),
                                                      {{"char", parsed.error().badChar}})};
    const std::string code = parsed->text();
    const auto settings = ctx.settings();
    auto store = ctx.openStore();
    auto history = store.statusHistory(code);
    if (!history) ctx.failStore(history.error());
    std::vector<core::StatusEntry> timeline;
    for (const auto& u : *history)
        timeline.push_back({u.status, u.note, u.agency, u.officer, u.expectedDate, u.updatedAt});
    auto slip = app::answerSlipFor(code, timeline, settings, ctx.backendConfig(store),
                                   platform::clock::now());
    if (!slip) throw Failure{kExitFailed, ctx.strings.format("ctl.no_answer", {{"code", code}})};
    return std::move(*slip);
}

std::vector<std::uint8_t> encodeFor(const Context& ctx, const std::string& out,
                                    const print::Bitmap& raster, bool a4) {
    const std::string ext = std::filesystem::path(out).extension().string();
    if (ext == ".png") return print::encodePng(raster);
    if (ext == ".bin") return print::encodeEscPos(raster, print::EscPosOptions{});
    if (ext == ".pdf") {
        if (!a4) return print::encodePdf(raster, print::PdfLayout::CentredSlip);
        return print::encodePdfPages(
            print::splitIntoPages(raster, print::a4FormPageRows(raster.width())),
            print::PdfLayout::A4Form);
    }
    throw Failure{kExitUsage, ctx.text("ctl.receipt_out_ext")};
}

}  // namespace

void registerAnswer(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "print-answer",
        "Print a case's published answer, or render it to a file: .bin (ESC/POS), .png or .pdf");
    auto o = std::make_shared<Opts>();
    cmd->add_option("CODE", o->code, "Tracking code")->required();
    cmd->add_option("--out", o->out,
                    "Output file instead of the printer; the extension picks the format");
    cmd->add_option("--paper", o->paper, "Roll width in mm: 80 (default) or 58")
        ->check(CLI::IsMember({58, 80}));
    cmd->add_flag("--a4", o->a4, "An A4 form (with .pdf: as many pages as the answer needs)");
    cmd->add_option("--printer", o->printer, "Printer URI (default: kiosk.toml [printer] uri)");
    cmd->callback([&ctx, o] {
        const auto slip = loadAnswer(ctx, o->code);
        auto renderer = print::ReceiptRenderer::create(platform::text::Strings::load("vi"));
        if (!renderer) throw Failure{kExitFailed, renderer.error().detail};
        if (!o->out.empty()) {
            const auto options = o->a4            ? print::RenderOptions::a4Form()
                                 : o->paper == 58 ? print::RenderOptions::roll58mm()
                                                  : print::RenderOptions::roll80mm();
            auto raster = print::renderAnswerSlip(*renderer, slip, options);
            if (!raster) throw Failure{kExitFailed, raster.error().detail};
            const auto bytes = encodeFor(ctx, o->out, *raster, o->a4);
            if (auto w = print::writeFileAtomically(o->out, bytes); !w)
                throw Failure{kExitStorage, w.error().detail};
            if (ctx.json)
                ctx.printJson({{"tracking_code", slip.trackingCode},
                               {"out", o->out},
                               {"bytes", bytes.size()},
                               {"rows", raster->height()}});
            else
                std::cout << o->out << "\n";
            return;
        }
        auto printer =
            print::makePrinter(o->printer.empty() ? ctx.settings().printerUri : o->printer);
        if (!printer)
            throw Failure{kExitFailed, ctx.text(print::messageKey(printer.error())) + " (" +
                                           printer.error().detail + ")"};
        auto raster = print::renderAnswerSlip(*renderer, slip, (*printer)->renderOptions());
        if (!raster) throw Failure{kExitFailed, raster.error().detail};
        auto report = (*printer)->print(print::PrintJob{slip.trackingCode, std::move(*raster)},
                                        std::chrono::seconds(60));
        if (!report) throw Failure{kExitFailed, ctx.text(print::messageKey(report.error()))};
        if (ctx.json)
            ctx.printJson({{"tracking_code", slip.trackingCode},
                           {"verified", report->statusVerified},
                           {"bytes", report->bytesSent},
                           {"output", report->output}});
        else
            std::cout << slip.trackingCode << ": "
                      << ctx.text(print::messageKey(report->statusBefore.state))
                      << (report->output.empty() ? "" : " → " + report->output) << "\n";
    });
}

}  // namespace kiosk::ctl
