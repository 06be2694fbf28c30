#pragma once
// ESC/POS: the bytes for a receipt raster, the status queries and the parser for their
// replies. Pure functions (no I/O), thread-safe. The parser accepts any bytes (fuzzable).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "print/bitmap.hpp"

namespace platform::print {

struct EscPosOptions {
    int bandRows = 128;  // GS v 0 images of at most this many rows (small printer buffers)
    int feedLines = 3;   // ESC d n after the image
    int cutFeed = 0;     // n of GS V 66 n (feed to the cutter plus n units, then cut)
};

// ESC @, the raster as GS v 0 bands, ESC d feed, GS V 66 n.
std::vector<std::uint8_t> encodeEscPos(const Bitmap& image, const EscPosOptions& options = {});

// Real-time status queries: DLE EOT 1 (printer), 2 (offline cause), 4 (roll paper sensor).
inline constexpr std::uint8_t kStatusQueryPrinter = 1;
inline constexpr std::uint8_t kStatusQueryOffline = 2;
inline constexpr std::uint8_t kStatusQueryPaper = 4;
std::vector<std::uint8_t> statusQuery(std::uint8_t n);  // {0x10, 0x04, n}

enum class PrinterState {
    Ready,         // answered, paper present, cover closed
    PaperNearEnd,  // can print, but the roll is nearly finished
    PaperOut,
    CoverOpen,
    Offline,        // stopped for another reason (error, feed button, ...)
    NoAnswer,       // asked, no reply in time: unknown, not OK
    InvalidReply,   // a reply that is not an ESC/POS status byte
    Unchecked,      // this kind of printer cannot be asked (file, png, CUPS)
    Unreachable,    // the device cannot be opened / the host does not accept a connection
    NotConfigured,  // printer "none"
};

// True for the states in which a print may be attempted: Ready, PaperNearEnd, and the two
// states that mean "we cannot know" (Unchecked: the transport cannot be asked; NoAnswer:
// one-way cables never answer). Prints in the last two are reported as unverified.
bool canPrint(PrinterState state);
// "printer.state.<name>" in assets/strings.
std::string messageKey(PrinterState state);
// "ready", "paper_out", ... (for logs).
std::string stateName(PrinterState state);

// The reply bytes to the three queries; nullopt = no reply within the timeout.
struct StatusReplies {
    std::optional<std::uint8_t> printer;  // DLE EOT 1
    std::optional<std::uint8_t> offline;  // DLE EOT 2
    std::optional<std::uint8_t> paper;    // DLE EOT 4
};

struct PrinterStatus {
    PrinterState state = PrinterState::NoAnswer;
    // Individual conditions, as far as the replies tell (several can hold at once).
    bool coverOpen = false;
    bool paperOut = false;
    bool paperNearEnd = false;
    bool offline = false;
    bool error = false;
    std::string detail;  // English, for logs; never personal data
};

// Classifies the replies. Precedence: InvalidReply (a byte not of the form 0xx1xx10),
// CoverOpen, PaperOut, Offline, NoAnswer (any query unanswered), PaperNearEnd, Ready.
PrinterStatus parseStatusReplies(const StatusReplies& replies);

}  // namespace platform::print
