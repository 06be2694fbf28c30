// kioskctl receipt / print / printer-status / say: receipts and speech without a screen.
#include <fstream>
#include <iostream>

#include "app/receipt_builder.hpp"
#include "ctl/context.hpp"
#include "print/image_writers.hpp"
#include "print/printer.hpp"
#include "print/receipt_renderer.hpp"
#include "record/tracking_code.hpp"
#include "tts/speaker.hpp"

namespace kiosk::ctl {
namespace {

namespace print = platform::print;

// The committed record for a loosely typed code, as a masked receipt.
print::Receipt loadReceipt(const Context& ctx, const std::string& typed) {
    auto parsed = ksync::record::parseTrackingCode(typed);
    if (!parsed)
        throw Failure{kExitFailed, ctx.strings.format(parsed.error().messageKey(),
                                                      {{"char", parsed.error().badChar}})};
    const auto settings = ctx.settings();
    auto store = ctx.openStore();
    auto rec = store.findByCode(parsed->text());
    if (!rec) ctx.failStore(rec.error());
    if (!*rec)
        throw Failure{kExitFailed,
                      ctx.strings.format("store.not_found", {{"code", parsed->text()}})};
    const auto config = ctx.backendConfig(store);
    return print::makeReceipt(
        app::receiptInputFor(**rec, settings, config, ctx.strings.language()));
}

print::ReceiptRenderer makeRenderer(const Context& ctx) {
    auto renderer = print::ReceiptRenderer::create(platform::text::Strings::load("vi"));
    if (!renderer) throw Failure{kExitFailed, renderer.error().detail};
    (void)ctx;
    return std::move(*renderer);
}

std::unique_ptr<print::Printer> makePrinterOrFail(const Context& ctx, std::string uri) {
    if (uri.empty()) uri = ctx.settings().printerUri;
    auto printer = print::makePrinter(uri);
    if (!printer)
        throw Failure{kExitFailed, ctx.text(print::messageKey(printer.error())) + " (" +
                                       printer.error().detail + ")"};
    return std::move(*printer);
}

void registerReceiptCmd(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "receipt", "Render a record's receipt to a file: .bin (ESC/POS), .png or .pdf");
    struct Opts {
        std::string code, out;
        int paper = 80;
        bool a4 = false;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("CODE", o->code, "Tracking code")->required();
    cmd->add_option("--out", o->out, "Output file; the extension picks the format")->required();
    cmd->add_option("--paper", o->paper, "Roll width in mm: 80 (default) or 58")
        ->check(CLI::IsMember({58, 80}));
    cmd->add_flag("--a4", o->a4, "With .pdf: an A4 form instead of a centred slip");
    cmd->callback([&ctx, o] {
        const auto receipt = loadReceipt(ctx, o->code);
        const auto renderer = makeRenderer(ctx);
        const auto options = o->a4            ? print::RenderOptions::a4Form()
                             : o->paper == 58 ? print::RenderOptions::roll58mm()
                                              : print::RenderOptions::roll80mm();
        auto raster = renderer.render(receipt, options);
        if (!raster) throw Failure{kExitFailed, raster.error().detail};
        const std::string ext = std::filesystem::path(o->out).extension().string();
        std::vector<std::uint8_t> bytes;
        if (ext == ".png")
            bytes = print::encodePng(*raster);
        else if (ext == ".pdf")
            bytes = print::encodePdf(
                *raster, o->a4 ? print::PdfLayout::A4Form : print::PdfLayout::CentredSlip);
        else if (ext == ".bin")
            bytes = print::encodeEscPos(*raster, print::EscPosOptions{});
        else
            throw Failure{kExitUsage, ctx.text("ctl.receipt_out_ext")};
        if (auto w = print::writeFileAtomically(o->out, bytes); !w)
            throw Failure{kExitStorage, w.error().detail};
        if (ctx.json)
            ctx.printJson({{"tracking_code", receipt.trackingCode},
                           {"out", o->out},
                           {"bytes", bytes.size()},
                           {"reprint_without_secret", receipt.reprintWithoutSecret}});
        else
            std::cout << o->out << "\n";
    });
}

void registerPrintCmd(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("print", "Print (or reprint) a record's receipt");
    auto code = std::make_shared<std::string>();
    auto uri = std::make_shared<std::string>();
    cmd->add_option("CODE", *code, "Tracking code")->required();
    cmd->add_option("--printer", *uri, "Printer URI (default: kiosk.toml [printer] uri)");
    cmd->callback([&ctx, code, uri] {
        const auto receipt = loadReceipt(ctx, *code);
        auto printer = makePrinterOrFail(ctx, *uri);
        const auto renderer = makeRenderer(ctx);
        auto raster = renderer.render(receipt, printer->renderOptions());
        if (!raster) throw Failure{kExitFailed, raster.error().detail};
        auto report = printer->print(print::PrintJob{receipt.trackingCode, std::move(*raster)},
                                     std::chrono::seconds(30));
        if (!report) throw Failure{kExitFailed, ctx.text(print::messageKey(report.error()))};
        if (ctx.json)
            ctx.printJson({{"tracking_code", receipt.trackingCode},
                           {"verified", report->statusVerified},
                           {"bytes", report->bytesSent},
                           {"output", report->output},
                           {"reprint_without_secret", receipt.reprintWithoutSecret}});
        else
            std::cout << receipt.trackingCode << ": "
                      << ctx.text(print::messageKey(report->statusBefore.state))
                      << (report->output.empty() ? "" : " → " + report->output) << "\n"
                      << (receipt.reprintWithoutSecret ? ctx.text("ctl.reprint_no_secret") + "\n"
                                                       : std::string{});
    });
}

void registerPrinterStatusCmd(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("printer-status",
                                   "Ask the printer whether it can print (paper, cover, online)");
    auto uri = std::make_shared<std::string>();
    auto timeoutMs = std::make_shared<int>(1000);
    cmd->add_option("--printer", *uri, "Printer URI (default: kiosk.toml [printer] uri)");
    cmd->add_option("--timeout-ms", *timeoutMs, "How long to wait for an answer (default 1000)");
    cmd->callback([&ctx, uri, timeoutMs] {
        auto printer = makePrinterOrFail(ctx, *uri);
        const auto st = printer->status(std::chrono::milliseconds(*timeoutMs));
        const std::string key = print::messageKey(st.state);
        if (ctx.json)
            ctx.printJson({{"state", key}, {"message", ctx.text(key)}, {"detail", st.detail}});
        else
            std::cout << ctx.text(key) << "\n";
        if (st.state != print::PrinterState::Ready && st.state != print::PrinterState::PaperNearEnd)
            throw Failure{kExitFailed, ctx.text(key)};
    });
}

void registerSayCmd(CLI::App& app, Context& ctx) {
    auto* cmd =
        app.add_subcommand("say", "Speak text (or spell a tracking code) with the kiosk's voice");
    struct Opts {
        std::string text, wav, voice = "vi-vn-x-south";
        bool code = false;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("TEXT", o->text, "What to say")->required();
    cmd->add_option("--wav", o->wav,
                    "Write a WAV file instead of playing on the default audio device");
    cmd->add_option("--voice", o->voice,
                    "espeak-ng voice: vi-vn-x-south (default), vi-vn-x-central, vi");
    cmd->add_flag("--code", o->code, "TEXT is a tracking code: spell it character by character");
    cmd->callback([&ctx, o] {
        std::unique_ptr<platform::tts::AudioSink> sink;
        if (o->wav.empty())
            sink = std::make_unique<platform::tts::DeviceSink>();
        else
            sink = std::make_unique<platform::tts::WavFileSink>(o->wav);
        platform::tts::SpeechOptions options;
        options.enabled = true;
        options.voice = o->voice;
        auto speaker = platform::tts::Speaker::create(options, std::move(sink));
        if (!speaker)
            throw Failure{kExitFailed, ctx.text(platform::tts::messageKey(speaker.error()))};
        std::string text = o->text;
        if (o->code) {
            auto parsed = ksync::record::parseTrackingCode(o->text);
            if (!parsed) throw Failure{kExitFailed, ctx.text(parsed.error().messageKey())};
            text =
                ctx.text("tts.code_intro") + " " + platform::tts::spellTrackingCode(parsed->text());
        }
        if (auto r = (*speaker)->say(text); !r)
            throw Failure{kExitFailed, ctx.text(platform::tts::messageKey(r.error()))};
        if (!o->wav.empty() && !ctx.json) std::cout << o->wav << "\n";
    });
}

}  // namespace

void registerReceipt(CLI::App& app, Context& ctx) {
    registerReceiptCmd(app, ctx);
    registerPrintCmd(app, ctx);
    registerPrinterStatusCmd(app, ctx);
    registerSayCmd(app, ctx);
}

}  // namespace kiosk::ctl
