#pragma once
// Helpers for the print tests: run external tools (zbarimg, pdftoppm), build receipts from
// the seed fixtures, measure the QR module size in a raster.
#include <filesystem>
#include <string>
#include <vector>

#include "print/bitmap.hpp"
#include "print/receipt.hpp"
#include "print/receipt_renderer.hpp"
#include "test_support.hpp"

namespace printtest {

struct CommandResult {
    int exitCode = -1;
    std::string output;  // stdout
};
// Runs a shell command, capturing stdout (stderr goes to the test log).
CommandResult run(const std::string& command);
std::string shellQuote(const std::string& s);

// zbarimg --raw on a PNG file: the decoded payloads, one per line (trailing newline removed).
std::string zbarDecode(const std::filesystem::path& png);
// Writes the raster as PNG and decodes it.
std::string zbarDecode(const platform::print::Bitmap& image, const std::filesystem::path& dir,
                       const std::string& name);

// A receipt for fixture `index` (type alternates PAKN/SKGP; senders without a name are
// anonymous); the tracking code is PAKN-7K3M-<100000+index>-X style.
platform::print::ReceiptInput fixtureReceiptInput(const testsupport::Fixture& fixture, int index);

// The renderer with the Vietnamese strings and the system Noto fonts.
const platform::print::ReceiptRenderer& renderer();

// Finds the QR finder pattern (dark:light:dark:light:dark = 1:1:3:1:1) on any row and
// returns its module size in dots, or 0 if there is none.
int measureQrModuleDots(const platform::print::Bitmap& image);

}  // namespace printtest
