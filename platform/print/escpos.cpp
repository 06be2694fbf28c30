#include "print/escpos.hpp"

#include <algorithm>

namespace platform::print {
namespace {

bool wellFormed(std::uint8_t b) {
    // Every real-time status byte: bit 7 = 0, bit 4 = 1, bit 1 = 1, bit 0 = 0.
    return (b & 0x93) == 0x12;
}

}  // namespace

std::vector<std::uint8_t> encodeEscPos(const Bitmap& image, const EscPosOptions& options) {
    std::vector<std::uint8_t> out = {0x1B, 0x40};  // ESC @: initialise
    const int bpr = image.bytesPerRow();
    const int band = std::clamp(options.bandRows, 1, 2047);
    for (int y = 0; y < image.height(); y += band) {
        const int rows = std::min(band, image.height() - y);
        // GS v 0 m xL xH yL yH d1...dk (m = 0: normal density)
        out.insert(out.end(),
                   {0x1D, 0x76, 0x30, 0x00, static_cast<std::uint8_t>(bpr & 0xFF),
                    static_cast<std::uint8_t>(bpr >> 8), static_cast<std::uint8_t>(rows & 0xFF),
                    static_cast<std::uint8_t>(rows >> 8)});
        const std::vector<std::uint8_t> data = image.packRows(y, rows);
        out.insert(out.end(), data.begin(), data.end());
    }
    out.insert(out.end(),
               {0x1B, 0x64, static_cast<std::uint8_t>(std::clamp(options.feedLines, 0, 255))});
    out.insert(out.end(),
               {0x1D, 0x56, 66, static_cast<std::uint8_t>(std::clamp(options.cutFeed, 0, 255))});
    return out;
}

std::vector<std::uint8_t> statusQuery(std::uint8_t n) {
    return {0x10, 0x04, n};
}

bool canPrint(PrinterState state) {
    return state == PrinterState::Ready || state == PrinterState::PaperNearEnd ||
           state == PrinterState::Unchecked || state == PrinterState::NoAnswer;
}

std::string stateName(PrinterState state) {
    switch (state) {
        case PrinterState::Ready:
            return "ready";
        case PrinterState::PaperNearEnd:
            return "paper_near_end";
        case PrinterState::PaperOut:
            return "paper_out";
        case PrinterState::CoverOpen:
            return "cover_open";
        case PrinterState::Offline:
            return "offline";
        case PrinterState::NoAnswer:
            return "no_answer";
        case PrinterState::InvalidReply:
            return "invalid_reply";
        case PrinterState::Unchecked:
            return "unchecked";
        case PrinterState::Unreachable:
            return "unreachable";
        case PrinterState::NotConfigured:
            return "not_configured";
    }
    return "unknown";
}

std::string messageKey(PrinterState state) {
    return "printer.state." + stateName(state);
}

PrinterStatus parseStatusReplies(const StatusReplies& r) {
    PrinterStatus s;
    for (const auto& b : {r.printer, r.offline, r.paper}) {
        if (b && !wellFormed(*b)) {
            s.state = PrinterState::InvalidReply;
            s.detail = "reply byte not of the form 0xx1xx10";
            return s;
        }
    }
    if (r.printer) s.offline = (*r.printer & 0x08) != 0;
    if (r.offline) {
        s.coverOpen = (*r.offline & 0x04) != 0;
        s.paperOut = (*r.offline & 0x20) != 0;
        s.error = (*r.offline & 0x40) != 0;
    }
    if (r.paper) {
        s.paperNearEnd = (*r.paper & 0x0C) != 0;
        s.paperOut = s.paperOut || (*r.paper & 0x60) != 0;
    }
    const bool allAnswered = r.printer && r.offline && r.paper;
    if (s.coverOpen)
        s.state = PrinterState::CoverOpen;
    else if (s.paperOut)
        s.state = PrinterState::PaperOut;
    else if (s.offline || s.error)
        s.state = PrinterState::Offline;
    else if (!allAnswered)
        s.state = PrinterState::NoAnswer;
    else if (s.paperNearEnd)
        s.state = PrinterState::PaperNearEnd;
    else
        s.state = PrinterState::Ready;
    s.detail = stateName(s.state);
    if (!allAnswered) s.detail += " (some status queries unanswered)";
    return s;
}

}  // namespace platform::print
