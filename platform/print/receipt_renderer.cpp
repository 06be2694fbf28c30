#include "print/receipt_renderer.hpp"

#include <algorithm>
#include <cmath>

#include "print/raster_layout.hpp"
#include "qr/qr_code.hpp"

namespace platform::print {
namespace {

constexpr int kQuietZoneModules = 4;

std::vector<std::string> splitWords(std::string_view line) {
    std::vector<std::string> words;
    std::string current;
    for (char c : line) {
        if (c == ' ' || c == '\t') {
            if (!current.empty()) words.push_back(std::move(current));
            current.clear();
        } else {
            current.push_back(c);
        }
    }
    if (!current.empty()) words.push_back(std::move(current));
    return words;
}

// Splits a word that is wider than maxWidth between code points.
std::vector<std::string> breakWord(const Font& font, float px, const std::string& word,
                                   int maxWidth) {
    std::vector<std::string> parts;
    std::u32string current;
    for (char32_t c : decodeUtf8(word)) {
        std::u32string next = current + c;
        if (!current.empty() && font.textWidth(encodeUtf8(next), px) > maxWidth) {
            parts.push_back(encodeUtf8(current));
            current = std::u32string(1, c);
        } else {
            current = std::move(next);
        }
    }
    if (!current.empty()) parts.push_back(encodeUtf8(current));
    return parts;
}

std::vector<std::string> greedyWrap(const Font& font, float px, std::string_view paragraph,
                                    int maxWidth) {
    std::vector<std::string> lines;
    std::string line;
    for (const std::string& word : splitWords(paragraph)) {
        std::vector<std::string> pieces = font.textWidth(word, px) > maxWidth
                                              ? breakWord(font, px, word, maxWidth)
                                              : std::vector<std::string>{word};
        for (const std::string& piece : pieces) {
            std::string candidate = line.empty() ? piece : line + " " + piece;
            if (!line.empty() && font.textWidth(candidate, px) > maxWidth) {
                lines.push_back(std::move(line));
                line = piece;
            } else {
                line = std::move(candidate);
            }
        }
    }
    if (!line.empty()) lines.push_back(std::move(line));
    return lines;
}

}  // namespace

std::vector<std::string> wrapText(const Font& font, float px, std::string_view text, int maxWidth,
                                  bool balanced) {
    std::vector<std::string> lines;
    const std::string nfc = toNfc(text);
    size_t start = 0;
    while (start <= nfc.size()) {
        size_t end = nfc.find('\n', start);
        if (end == std::string::npos) end = nfc.size();
        const std::string_view paragraph(nfc.data() + start, end - start);
        std::vector<std::string> wrapped = greedyWrap(font, px, paragraph, maxWidth);
        if (balanced && wrapped.size() > 1) {
            // Narrowest width that still needs no more lines than the greedy wrap.
            int lo = 1, hi = maxWidth;
            while (lo < hi) {
                const int mid = (lo + hi) / 2;
                if (greedyWrap(font, px, paragraph, mid).size() <= wrapped.size())
                    hi = mid;
                else
                    lo = mid + 1;
            }
            wrapped = greedyWrap(font, px, paragraph, lo);
        }
        lines.insert(lines.end(), wrapped.begin(), wrapped.end());
        start = end + 1;
    }
    return lines;
}

int qrModuleDots(int symbolModules, const RenderOptions& o) {
    const int modules = symbolModules + 2 * kQuietZoneModules;
    const int fit = static_cast<int>(static_cast<float>(o.widthDots) * o.qrWidthShare) / modules;
    return std::max(o.minModuleDots, fit);
}

std::expected<int, RenderError> drawQr(Bitmap& target, std::string_view text, int top,
                                       int moduleDots) {
    auto code = platform::qr::encode(text, platform::qr::ErrorCorrection::Medium);
    if (!code)
        return std::unexpected(RenderError{RenderError::Kind::QrUnencodable, "qr: cannot encode"});
    const int total = (code->size() + 2 * kQuietZoneModules) * moduleDots;
    const int left = (target.width() - total) / 2 + kQuietZoneModules * moduleDots;
    const int y0 = top + kQuietZoneModules * moduleDots;
    for (int y = 0; y < code->size(); ++y) {
        for (int x = 0; x < code->size(); ++x) {
            if (code->dark(x, y))
                target.fillRect(left + x * moduleDots, y0 + y * moduleDots, moduleDots, moduleDots);
        }
    }
    return total;
}

std::expected<ReceiptRenderer, FontError> ReceiptRenderer::create(
    platform::text::Strings strings, const std::filesystem::path& regularFont,
    const std::filesystem::path& boldFont) {
    auto regular = Font::load(regularFont);
    if (!regular) return std::unexpected(regular.error());
    auto bold = Font::load(boldFont);
    if (!bold) return std::unexpected(bold.error());
    return ReceiptRenderer(std::move(strings), std::move(*regular), std::move(*bold));
}

std::expected<Bitmap, RenderError> ReceiptRenderer::render(const Receipt& r,
                                                           const RenderOptions& options) const {
    const auto& s = m_strings;
    RasterLayout l(*this, options);

    l.centred(m_bold, l.px(22), r.centreName);
    l.space(8);
    l.rule(false);
    l.space(14);
    l.centred(m_bold, l.px(29),
              r.slipTitle.empty() ? s.get(receiptTitleKey(r.typeCode)) : r.slipTitle);
    l.space(14);
    l.centred(m_regular, l.px(22), s.get("receipt.code_label"));
    l.fitted(54, r.trackingCode);
    if (!r.secretText.empty()) {
        // The proof of holding this receipt (issue #14): typed to add information or rate.
        l.centred(m_regular, l.px(22), s.get("receipt.secret_label"));
        l.centred(m_bold, l.px(32), r.secretText);
        l.centred(m_regular, l.px(19), s.get("receipt.secret_note"));
    } else if (r.reprintWithoutSecret) {
        // A reprint: the secret was printed once and is kept nowhere.
        l.centred(m_bold, l.px(20), s.get("receipt.reprint_no_secret"));
    }
    l.space(12);
    l.rule(true);
    l.space(12);

    auto twoDigits = [](int v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
    const auto date = [&](const LocalDate& d) {
        return twoDigits(d.day) + "/" + twoDigits(d.month) + "/" + std::to_string(d.year);
    };
    l.field(s.get("receipt.received_at"),
            s.format("receipt.received_at_value",
                     {{"time", twoDigits(r.createdAt.hour) + ":" + twoDigits(r.createdAt.minute)},
                      {"date", date(r.createdAt.date)}}));
    // A slip for something added to the case has the time, the case's code and QR only.
    if (r.slipTitle.empty()) {
        l.field(s.get("receipt.category"), r.category);
        if (r.senderWithheld) {
            l.field(s.get("receipt.sender"), s.get("receipt.sender_withheld"));
        } else if (r.anonymous) {
            l.field(s.get("receipt.sender"), s.get("receipt.anonymous"));
        } else {
            if (!r.maskedName.empty()) l.field(s.get("receipt.sender"), r.maskedName);
            if (!r.maskedPhone.empty()) l.field(s.get("receipt.phone"), r.maskedPhone);
        }
        l.field(
            s.get("receipt.reply_by"),
            s.format("receipt.reply_by_value",
                     {{"weekday", s.get("receipt.weekday." + std::to_string(weekday(r.replyBy)))},
                      {"date", date(r.replyBy)}}));
    }
    l.space(4);
    if (auto ok = l.qr(r.trackingUrl); !ok) return std::unexpected(ok.error());
    l.centred(m_bold, l.px(22), s.get("receipt.qr_caption"));
    l.space(6);
    if (!r.shortUrl.empty())
        l.centred(m_regular, l.px(22), s.format("receipt.lookup", {{"url", r.shortUrl}}));
    if (!r.hotline.empty())
        l.centred(m_regular, l.px(22), s.format("receipt.hotline", {{"hotline", r.hotline}}));
    l.space(12);
    l.rule(true);
    l.space(12);
    l.centred(m_bold, l.px(25), s.get("receipt.keep"));
    l.space(6);
    l.centred(m_regular, l.px(19), s.get("receipt.privacy"));
    return l.finish();
}

}  // namespace platform::print
