#pragma once
// Test-side decoder for the ESC/POS commands the printer layer emits: ESC @, GS v 0, ESC d,
// GS V, DLE EOT. Turns a byte stream back into the printed image; anything else is reported.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "print/bitmap.hpp"

namespace printtest {

struct DecodedEscPos {
    platform::print::Bitmap image;  // the GS v 0 bands stacked top to bottom
    int initialisations = 0;        // ESC @
    int bands = 0;                  // GS v 0
    int maxBandRows = 0;
    int feedLines = 0;  // sum of ESC d n
    int cuts = 0;       // GS V 66 n
    bool cutIsLastCommand = false;
    std::vector<std::uint8_t> statusQueries;  // n of each DLE EOT n
    std::vector<std::string> errors;          // unknown bytes, truncated commands, width changes
};

DecodedEscPos decodeEscPos(std::span<const std::uint8_t> bytes);

}  // namespace printtest
