#include "print/receipt_renderer.hpp"

#include <algorithm>
#include <cmath>

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
std::vector<std::string> breakWord(const Font& font, float px, const std::string& word, int maxWidth) {
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

std::vector<std::string> greedyWrap(const Font& font, float px, std::string_view paragraph, int maxWidth) {
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

// Lays out a receipt top to bottom on a tall canvas, then crops it.
class Layout {
public:
    Layout(const ReceiptRenderer& r, const RenderOptions& o)
        : m_r(r), m_o(o), m_canvas(o.widthDots, 6000), m_y(std::lround(12 * o.textScale)) {}

    float px(float base) const { return base * m_o.textScale; }
    int contentWidth() const { return m_o.widthDots - 2 * m_o.marginDots; }
    int gap(float base) const { return static_cast<int>(std::lround(base * m_o.textScale)); }
    void space(float base) { m_y += gap(base); }

    void centred(const Font& font, float size, std::string_view text) {
        for (const std::string& line : wrapText(font, size, text, contentWidth(), true)) {
            const int w = font.textWidth(line, size);
            const int x = (m_o.widthDots - w) / 2;
            drawLine(font, size, x, line);
        }
    }

    void left(const Font& font, float size, std::string_view text, int indent = 0) {
        for (const std::string& line : wrapText(font, size, text, contentWidth() - indent)) {
            drawLine(font, size, m_o.marginDots + indent, line);
        }
    }

    // "Label: value" on one line when it fits; otherwise the label, then the value indented.
    void field(std::string_view label, std::string_view value) {
        const float size = px(23);
        const std::string head = std::string(label) + ": ";
        const int headWidth = m_r.regularFont().textWidth(head, size);
        const int valueWidth = m_r.boldFont().textWidth(value, size);
        if (headWidth + valueWidth <= contentWidth()) {
            const int baseline = m_y + m_r.regularFont().ascent(size);
            m_r.regularFont().draw(m_canvas, m_o.marginDots, baseline, head, size);
            m_r.boldFont().draw(m_canvas, m_o.marginDots + headWidth, baseline, value, size);
            m_y += m_r.regularFont().lineHeight(size);
        } else {
            left(m_r.regularFont(), size, std::string(label) + ":");
            left(m_r.boldFont(), size, value, gap(24));
        }
        space(4);
    }

    void rule(bool dashed) {
        const int thickness = std::max(2, gap(2));
        for (int x = m_o.marginDots; x < m_o.widthDots - m_o.marginDots; ++x) {
            if (dashed && (x / gap(8)) % 2 == 1) continue;
            m_canvas.fillRect(x, m_y, 1, thickness);
        }
        m_y += thickness;
    }

    // The largest bold size (<= maxSize) at which `text` fits on one line.
    void fitted(float maxSize, std::string_view text) {
        float size = px(maxSize);
        while (size > 12 && m_r.boldFont().textWidth(text, size) > contentWidth()) size -= 1;
        centred(m_r.boldFont(), size, text);
    }

    std::expected<void, RenderError> qr(std::string_view url) {
        auto code = platform::qr::encode(url, platform::qr::ErrorCorrection::Medium);
        if (!code) {
            return std::unexpected(RenderError{RenderError::Kind::QrUnencodable,
                                               "receipt: tracking URL cannot be encoded as a QR code"});
        }
        const int modules = code->size() + 2 * kQuietZoneModules;
        const int moduleDots = qrModuleDots(code->size(), m_o);
        if (modules * moduleDots > m_o.widthDots) {
            return std::unexpected(
                RenderError{RenderError::Kind::QrTooWide, "receipt: QR code does not fit the paper width"});
        }
        auto drawn = drawQr(m_canvas, url, m_y, moduleDots);
        if (!drawn) return std::unexpected(drawn.error());
        m_y += *drawn;
        return {};
    }

    Bitmap finish() {
        m_y += gap(16);
        m_canvas.resizeHeight(m_y);
        return std::move(m_canvas);
    }

private:
    void drawLine(const Font& font, float size, int x, const std::string& line) {
        const int baseline = m_y + font.ascent(size);
        font.draw(m_canvas, x, baseline, line, size);
        m_y += font.lineHeight(size);
    }

    const ReceiptRenderer& m_r;
    const RenderOptions& m_o;
    Bitmap m_canvas;
    int m_y;
};

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
                if (greedyWrap(font, px, paragraph, mid).size() <= wrapped.size()) hi = mid;
                else lo = mid + 1;
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

std::expected<int, RenderError> drawQr(Bitmap& target, std::string_view text, int top, int moduleDots) {
    auto code = platform::qr::encode(text, platform::qr::ErrorCorrection::Medium);
    if (!code) return std::unexpected(RenderError{RenderError::Kind::QrUnencodable, "qr: cannot encode"});
    const int total = (code->size() + 2 * kQuietZoneModules) * moduleDots;
    const int left = (target.width() - total) / 2 + kQuietZoneModules * moduleDots;
    const int y0 = top + kQuietZoneModules * moduleDots;
    for (int y = 0; y < code->size(); ++y) {
        for (int x = 0; x < code->size(); ++x) {
            if (code->dark(x, y)) target.fillRect(left + x * moduleDots, y0 + y * moduleDots, moduleDots, moduleDots);
        }
    }
    return total;
}

std::expected<ReceiptRenderer, FontError> ReceiptRenderer::create(platform::text::Strings strings,
                                                                  const std::filesystem::path& regularFont,
                                                                  const std::filesystem::path& boldFont) {
    auto regular = Font::load(regularFont);
    if (!regular) return std::unexpected(regular.error());
    auto bold = Font::load(boldFont);
    if (!bold) return std::unexpected(bold.error());
    return ReceiptRenderer(std::move(strings), std::move(*regular), std::move(*bold));
}

std::expected<Bitmap, RenderError> ReceiptRenderer::render(const Receipt& r, const RenderOptions& options) const {
    const auto& s = m_strings;
    Layout l(*this, options);

    l.centred(m_bold, l.px(22), r.centreName);
    l.space(8);
    l.rule(false);
    l.space(14);
    l.centred(m_bold, l.px(29), s.get(receiptTitleKey(r.typeCode)));
    l.space(14);
    l.centred(m_regular, l.px(22), s.get("receipt.code_label"));
    l.fitted(54, r.trackingCode);
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
    l.field(s.get("receipt.category"), r.category);
    if (r.senderWithheld) {
        l.field(s.get("receipt.sender"), s.get("receipt.sender_withheld"));
    } else if (r.anonymous) {
        l.field(s.get("receipt.sender"), s.get("receipt.anonymous"));
    } else {
        if (!r.maskedName.empty()) l.field(s.get("receipt.sender"), r.maskedName);
        if (!r.maskedPhone.empty()) l.field(s.get("receipt.phone"), r.maskedPhone);
    }
    l.field(s.get("receipt.reply_by"),
            s.format("receipt.reply_by_value",
                     {{"weekday", s.get("receipt.weekday." + std::to_string(weekday(r.replyBy)))},
                      {"date", date(r.replyBy)}}));
    l.space(4);
    if (auto ok = l.qr(r.trackingUrl); !ok) return std::unexpected(ok.error());
    l.centred(m_bold, l.px(22), s.get("receipt.qr_caption"));
    l.space(6);
    if (!r.shortUrl.empty()) l.centred(m_regular, l.px(22), s.format("receipt.lookup", {{"url", r.shortUrl}}));
    if (!r.hotline.empty()) l.centred(m_regular, l.px(22), s.format("receipt.hotline", {{"hotline", r.hotline}}));
    l.space(12);
    l.rule(true);
    l.space(12);
    l.centred(m_bold, l.px(25), s.get("receipt.keep"));
    l.space(6);
    l.centred(m_regular, l.px(19), s.get("receipt.privacy"));
    return l.finish();
}

}  // namespace platform::print
