#include "print_test_tools.hpp"

#include <sys/wait.h>
#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "print/image_writers.hpp"

namespace printtest {

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

CommandResult run(const std::string& command) {
    CommandResult r;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return r;
    std::array<char, 4096> buf{};
    size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
    const int status = ::pclose(pipe);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string zbarDecode(const std::filesystem::path& png) {
    CommandResult r = run("zbarimg -q --raw --nodbus " + shellQuote(png.string()));
    while (!r.output.empty() && (r.output.back() == '\n' || r.output.back() == '\r'))
        r.output.pop_back();
    return r.output;
}

std::string zbarDecode(const platform::print::Bitmap& image, const std::filesystem::path& dir,
                       const std::string& name) {
    const auto path = dir / (name + ".png");
    auto w = platform::print::writeFileAtomically(path, platform::print::encodePng(image));
    if (!w) throw std::runtime_error(w.error().detail);
    return zbarDecode(path);
}

platform::print::ReceiptInput fixtureReceiptInput(const testsupport::Fixture& f, int index) {
    platform::print::ReceiptInput in;
    in.centreName = "Trung tâm Phục vụ hành chính công phường Sài Gòn";
    in.typeCode = index % 2 == 0 ? "PAKN" : "SKGP";
    char code[64];
    std::snprintf(code, sizeof code, "%s-7K3M-%06d-%c", in.typeCode.c_str(), 100000 + index * 7919,
                  "ABCDEFGHJKMNPQRSTVWXY"[index % 21]);
    in.trackingCode = code;
    in.trackingUrl = "HTTPS://TRA.CUU.GOV.VN/T/" + in.trackingCode;
    in.shortUrl = "tra.cuu.gov.vn";
    in.createdAt.date = platform::print::parseIsoDate(f.sentDate)
                            .value_or(platform::print::LocalDate{2025, 11, 14});
    in.createdAt.hour = 8 + index % 9;
    in.createdAt.minute = (index * 7) % 60;
    in.category = f.category.empty() ? "Lĩnh vực khác" : f.category;
    in.anonymous = f.sender.empty();
    in.contactName = f.sender;
    in.contactPhone = "09" + std::to_string(12345000 + index);
    in.hotline = "1022";
    in.replyBy = in.createdAt.date;
    in.replyBy.day = 28;  // a fixed date: the calendar is sync's (tests/calendar)
    return in;
}

const platform::print::ReceiptRenderer& renderer() {
    static const platform::print::ReceiptRenderer r = [] {
        auto made = platform::print::ReceiptRenderer::create(platform::text::Strings::load("vi"));
        if (!made) throw std::runtime_error(made.error().detail);
        return std::move(*made);
    }();
    return r;
}

int measureQrModuleDots(const platform::print::Bitmap& img) {
    // Candidates (module size, x of the pattern) and on how many rows each was seen: the
    // centre of a finder pattern repeats on 3 modules' worth of rows, text strokes do not.
    std::map<std::pair<int, int>, int> rowsSeen;
    for (int y = 0; y < img.height(); ++y) {
        std::vector<std::pair<bool, int>> runs;
        for (int x = 0; x < img.width(); ++x) {
            const bool d = img.get(x, y);
            if (runs.empty() || runs.back().first != d) runs.push_back({d, 0});
            ++runs.back().second;
        }
        int x = 0;
        for (size_t i = 0; i + 4 < runs.size(); x += runs[i].second, ++i) {
            if (!runs[i].first) continue;
            const int m = runs[i].second;
            if (m >= 2 && runs[i + 1].second == m && runs[i + 2].second == 3 * m &&
                runs[i + 3].second == m && runs[i + 4].second == m) {
                ++rowsSeen[{m, x}];
            }
        }
    }
    int best = 0;
    for (const auto& [key, rows] : rowsSeen) {
        if (rows >= 3 * key.first) best = std::max(best, key.first);
    }
    return best;
}

}  // namespace printtest
