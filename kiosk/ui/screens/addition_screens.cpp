// What a resident adds to a case later (issue #14): the receipt's secret (AddProof), the
// supplement (AddText, AddReview, AddDone) and the rating (Rate, RateDone), plus the offer on
// the tracking story. They only draw and emit intents; flow_addition.cpp decides. The forward
// button of each step is in the step bar (kiosk_ui.cpp), Back in the toolbar.
#include <algorithm>

#include "core/addition.hpp"
#include "record/record.hpp"
#include "record/text.hpp"
#include "ui/icons.hpp"
#include "ui/item_probe.hpp"
#include "ui/screens/screens.hpp"
#include "ui/widgets/big_button.hpp"

namespace kiosk::ui::screens {
namespace {

namespace intent = core::intent;
namespace record = ksync::record;
using core::FormField;

std::string codeWords(const KioskUi::Frame& f, std::string_view key) {
    return f.t.format(key, {{"code", f.s.addition.code}});
}

// A message of the addition path in bold, in the danger colour unless `ok`.
void message(KioskUi::Frame& f, const std::string& text, bool ok = false) {
    if (text.empty()) return;
    ImGui::PushFont(f.theme.bodyBold());
    wrappedText(text, ok ? f.theme.palette().text : f.theme.palette().danger);
    ImGui::PopFont();
}

void additionError(KioskUi::Frame& f, record::Field field) {
    const auto& errors = f.s.addition.errors;
    auto it = errors.find(field);
    if (it == errors.end()) return;
    message(f, f.t.format(it->second.key, {{"count", std::to_string(it->second.count)},
                                           {"max", std::to_string(it->second.max)}}));
}

// The path's own message (proof.*, kiosk.busy, store.*), with its placeholders.
std::string pathMessage(const KioskUi::Frame& f) {
    const auto& a = f.s.addition;
    if (a.messageKey.empty()) return {};
    std::string text = f.t.format(a.messageKey, {{"code", a.code}});
    if (a.messageKey == "proof.mismatch")
        text += " " + f.t.format("proof.attempts_left", {{"left", std::to_string(a.attemptsLeft)}});
    return text;
}

bool listen(KioskUi::Frame& f, std::string_view id) {
    const ImVec2 size(150.0f * f.theme.scale(), 72.0f * f.theme.scale());
    return bigButton(f.theme, {f.t.get("track.listen")}, id, size, ButtonKind::Secondary,
                     f.theme.bodyBold());
}

// A touch screen has no wheel: a scrolling region moves with a drag, as the story does.
void dragScroll() {
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
        ImGui::IsMouseDragging(0, 8.0f))
        ImGui::SetScrollY(std::clamp(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y, 0.0f,
                                     ImGui::GetScrollMaxY()));
}

// A form above the keyboard: it scrolls (by dragging, as the story does) when the keyboard
// leaves it too little height, and the focused field is brought into sight.
template <typename Body>
void formAboveKeyboard(KioskUi::Frame& f, const char* id, Body&& body) {
    const float width = ImGui::GetContentRegionAvail().x;
    const float kb = f.ui.keyboardHeight(width);
    const float h = std::max(120.0f, ImGui::GetContentRegionAvail().y - kb);
    ImGui::BeginChild(id, ImVec2(0, h), false);
    dragScroll();
    body();
    ImGui::EndChild();
    f.ui.drawKeyboard(f, kb);
}

// A field of the path; once it has the keyboard it is kept in sight.
void field(KioskUi::Frame& f, FormField ff, std::string_view id, ImVec2 size) {
    f.ui.drawField(f, ff, id, size);
    if (f.ui.focused(ff) && !ImGui::IsItemVisible()) ImGui::SetScrollHereY(1.0f);
}

// What the agency asked for, as it asked it, with *Nghe*.
void request(KioskUi::Frame& f) {
    const auto& a = f.s.addition;
    const Palette& p = f.theme.palette();
    if (a.requestNote.empty()) {
        wrappedText(f.t.get("add.nothing_requested"), p.muted);
        return;
    }
    const std::string head = f.t.get("add.requested");
    if (listen(f, "add_listen_request")) f.emit(intent::SpeakText{head + " " + a.requestNote});
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::PushFont(f.theme.bodyBold());
    wrappedText(head, p.warning);
    ImGui::PopFont();
    wrappedText(a.requestNote);
    if (!a.requestAgency.empty()) wrappedText(a.requestAgency, p.muted);
    ImGui::EndGroup();
}

std::string printLine(const KioskUi::Frame& f) {
    switch (f.s.print) {
        case core::PrintState::Printing:
            return f.t.get("add.printing");
        case core::PrintState::Printed:
            return f.t.get("add.printed");
        case core::PrintState::Failed:
            return f.t.get("add.print_failed") + " " + f.t.get(f.s.printMessageKey);
        case core::PrintState::Idle:
            break;
    }
    return {};
}

// Three buttons at the bottom of a confirmation: print (supplements only), listen, done.
void doneButtons(KioskUi::Frame& f, bool print, const std::string& spoken) {
    const auto& t = f.t;
    const int n = print ? 3 : 2;
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float avail = ImGui::GetContentRegionAvail().x;
    const ImVec2 b((avail - static_cast<float>(n - 1) * gap) / static_cast<float>(n),
                   110.0f * f.theme.scale());
    ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY(), ImGui::GetWindowHeight() - b.y - 40.0f));
    if (print) {
        const bool printedOnce = f.s.print != core::PrintState::Idle;
        if (bigButton(f.theme, {t.get(printedOnce ? "add.reprint" : "add.print_slip")}, "add_print",
                      b))
            f.emit(intent::Reprint{});
        ImGui::SameLine();
    }
    if (bigButton(f.theme, {t.get("track.listen")}, "add_listen_done", b))
        f.emit(intent::SpeakText{spoken});
    ImGui::SameLine();
    if (bigButton(f.theme, {t.get("done.finish")}, "add_finish", b, ButtonKind::Primary))
        f.emit(intent::Done{});
}

// How tall a face button of this width must be for its pictogram and its words.
float faceHeight(const KioskUi::Frame& f, std::string_view rating, float width) {
    const std::string words = f.t.get("rating." + std::string(rating));
    const std::string_view face = icons::forRating(rating);
    ImFont* big = f.theme.huge();
    ImFont* lf = f.theme.heading();
    const float pad = 20.0f * f.theme.scale();
    const float faceH = f.theme.iconsLoaded() && !face.empty()
                            ? big->CalcTextSizeA(big->FontSize, FLT_MAX, 0.0f, face.data(),
                                                 face.data() + face.size())
                                  .y
                            : 0.0f;
    return faceH + lf->CalcTextSizeA(lf->FontSize, FLT_MAX, width - 2 * pad, words.c_str()).y +
           3 * pad;
}

// A face: its pictogram large (the huge font has the three faces), its words below. The
// buttons of the story and of the rating screen.
bool faceButton(KioskUi::Frame& f, std::string_view rating, std::string_view id, ImVec2 size,
                bool selected) {
    const std::string words = f.t.get("rating." + std::string(rating));
    const std::string_view face = icons::forRating(rating);
    if (!f.theme.iconsLoaded() || face.empty())
        return bigButton(f.theme, {words}, id, size,
                         selected ? ButtonKind::Selected : ButtonKind::Secondary);
    // The face in the huge font, the words in the heading font; the button is as tall as both.
    ImFont* big = f.theme.huge();
    const ImVec2 faceSize =
        big->CalcTextSizeA(big->FontSize, FLT_MAX, 0.0f, face.data(), face.data() + face.size());
    ImFont* lf = f.theme.heading();
    const float pad = 20.0f * f.theme.scale();
    const float wrap = size.x - 2 * pad;
    const ImVec2 labelSize = lf->CalcTextSizeA(lf->FontSize, FLT_MAX, wrap, words.c_str());
    size.y = std::max(size.y, faceSize.y + labelSize.y + 3 * pad);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const bool released = ImGui::InvisibleButton(("###" + std::string(id)).c_str(), size);
    ItemProbe::record(id);
    ItemProbe::recordText(words);
    const Palette& p = f.theme.palette();
    ImU32 fill = selected ? p.primary : p.secondary,
          ink = selected ? p.primaryText : p.secondaryText;
    if (ImGui::IsItemActive()) fill = p.focus, ink = IM_COL32(0, 0, 0, 255);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 max(pos.x + size.x, pos.y + size.y);
    const float r = 14.0f * f.theme.scale();
    dl->AddRectFilled(pos, max, fill, r);
    dl->AddRect(pos, max, selected ? p.focus : p.border, r, 0, selected ? 5.0f : 2.0f);
    const float top = pos.y + (size.y - faceSize.y - labelSize.y - pad) * 0.5f;
    dl->AddText(big, big->FontSize, ImVec2(pos.x + (size.x - faceSize.x) * 0.5f, top), ink,
                face.data(), face.data() + face.size());
    const ImVec2 labelAt(pos.x + (size.x - labelSize.x) * 0.5f, top + faceSize.y + pad);
    dl->AddText(lf, lf->FontSize, labelAt, ink, words.c_str(), nullptr, wrap);
    if (ItemProbe::installed())
        ItemProbe::recordTextBox(
            words, {labelAt, ImVec2(labelAt.x + labelSize.x, labelAt.y + labelSize.y)}, {pos, max},
            ItemProbe::hasWordWiderThan(lf, lf->FontSize, words, wrap));
    return released;
}

constexpr std::string_view kRatings[] = {record::kRatingSatisfied, record::kRatingAcceptable,
                                         record::kRatingUnsatisfied};

// The three faces in a row (or, in a narrow column, one under the other); true when one was
// tapped, with its rating code in `picked`.
bool faces(KioskUi::Frame& f, std::string_view idPrefix, std::string_view selected, bool column,
           std::string& picked) {
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float avail = ImGui::GetContentRegionAvail().x;
    const float w = column ? avail : (avail - 2 * gap) / 3.0f;
    float h = (column ? 120.0f : 200.0f) * f.theme.scale();
    for (const std::string_view r : kRatings) h = std::max(h, faceHeight(f, r, w));  // one height
    bool tapped = false;
    for (std::size_t i = 0; i < std::size(kRatings); ++i) {
        if (i > 0 && !column) ImGui::SameLine();
        const std::string_view r = kRatings[i];
        if (faceButton(f, r, std::string(idPrefix) + std::string(r), ImVec2(w, h), r == selected)) {
            picked = std::string(r);
            tapped = true;
        }
    }
    return tapped;
}

}  // namespace

// ---- the offer on the tracking story ---------------------------------------------------------

bool storyOffers(const KioskUi::Frame& f) {
    return core::canSupplement(f.s) || core::canRate(f.s) || !core::proofClosedKey(f.s).empty();
}

void storyOffer(KioskUi::Frame& f, bool column) {
    const auto& t = f.t;
    const auto& tr = f.s.tracking;
    if (const std::string closed = core::proofClosedKey(f.s); !closed.empty()) {
        colourBox(f.theme, f.theme.palette().warning, IM_COL32(0, 0, 0, 255), [&] {
            ImGui::PushFont(f.theme.bodyBold());
            wrappedText(t.format(closed, {{"code", tr.code}}) + " " + t.get("proof.lookup_only"));
            ImGui::PopFont();
        });
        return;
    }
    if (core::canSupplement(f.s)) {
        // Prominent when the agency waits for it; offered quietly before the answer otherwise.
        const bool asked = tr.timeline.back().status == "needs_info";
        const std::string hint = t.get(asked ? "add.start_needed" : "add.start_hint");
        if (bigButton(f.theme, {t.get("add.start"), hint, -1, icons::kSupplement, column},
                      "track_supplement",
                      ImVec2(ImGui::GetContentRegionAvail().x, 110.0f * f.theme.scale()),
                      asked ? ButtonKind::Primary : ButtonKind::Secondary))
            f.emit(intent::StartSupplement{});
        return;
    }
    if (core::canRate(f.s)) {
        const std::string question = t.get("rate.question");
        if (listen(f, "track_listen_rate"))
            f.emit(intent::SpeakText{question + " " + t.get("rating.hai_long") + ", " +
                                     t.get("rating.tam_chap_nhan") + ", " +
                                     t.get("rating.chua_hai_long")});
        ImGui::SameLine();
        ImGui::PushFont(f.theme.heading());
        wrappedText(question);
        ImGui::PopFont();
        std::string picked;
        if (faces(f, "track_rate_", {}, false, picked)) f.emit(intent::StartRating{picked});
    }
}

// ---- AddProof ------------------------------------------------------------------------------

void addProof(KioskUi::Frame& f) {
    const auto& t = f.t;
    const auto& a = f.s.addition;
    title(f, t.get("add.proof_title"));
    formAboveKeyboard(f, "###add_proof_form", [&] {
        ImGui::PushFont(f.theme.bodyBold());
        wrappedText(codeWords(f, "add.proof_for"));
        ImGui::PopFont();
        wrappedText(t.get("add.proof_hint"), f.theme.palette().muted);
        ImGui::TextUnformatted(t.get("add.secret_label").c_str());
        const float width = std::min(ImGui::GetContentRegionAvail().x, 900.0f * f.theme.scale());
        field(f, FormField::Secret, "field_secret", ImVec2(width, 90.0f * f.theme.scale()));
        additionError(f, record::Field::Secret);
        message(f, pathMessage(f));
        if (a.checking) message(f, t.get("proof.checking"), true);
    });
}

// ---- AddText -------------------------------------------------------------------------------

void addText(KioskUi::Frame& f) {
    const auto& t = f.t;
    const auto& a = f.s.addition;
    // Landscape has little height once the keyboard is up: the title goes in the left column.
    if (f.portrait) title(f, codeWords(f, "add.text_title"));
    const float width = ImGui::GetContentRegionAvail().x;
    const float kb = f.ui.keyboardHeight(width);
    const float room = std::max(f.portrait ? 240.0f : 0.0f, ImGui::GetContentRegionAvail().y - kb -
                                                                ImGui::GetStyle().ItemSpacing.y);
    const float line = 76.0f * f.theme.scale();
    auto label = [&] {
        ImGui::TextUnformatted(t.get("add.text_label").c_str());
        const std::size_t count = record::countCodepoints(a.body);
        const std::size_t max = record::kMaxBodyChars;
        if (count * 10 >= max * 9) {
            ImGui::SameLine();
            const std::string left = std::to_string(count < max ? max - count : 0);
            ImGui::TextDisabled("%s", t.format("content.chars", {{"left", left}}).c_str());
        }
    };
    auto notes = [&] {
        if (!a.proofCheckedHere) wrappedText(t.get("proof.checked_later"), f.theme.palette().muted);
        message(f, pathMessage(f));
    };
    if (!f.portrait) {
        // Landscape: what was asked on the left (it scrolls), the supplement on the right.
        const float gap = ImGui::GetStyle().ItemSpacing.x;
        const float left = (width - gap) * 0.4f;
        ImGui::BeginChild("###add_request", ImVec2(left, room), false);
        dragScroll();
        ImGui::PushFont(f.theme.bodyBold());
        wrappedText(codeWords(f, "add.text_title"));
        ImGui::PopFont();
        request(f);
        notes();
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginGroup();
        label();
        const float err = a.errors.contains(record::Field::Body) ? 2 * line : 0.0f;
        f.ui.drawField(f, FormField::Supplement, "field_supplement",
                       ImVec2(width - left - gap,
                              std::max(line, room - ImGui::GetTextLineHeightWithSpacing() - err -
                                                 2 * ImGui::GetStyle().ItemSpacing.y)));
        additionError(f, record::Field::Body);
        ImGui::EndGroup();
        f.ui.drawKeyboard(f, kb);
        return;
    }
    // Portrait: the request above (at most a third of the room, scrolling), the field below.
    const ImFont* font = ImGui::GetFont();
    const std::string shown = a.requestNote.empty() ? t.get("add.nothing_requested")
                                                    : t.get("add.requested") + "\n" +
                                                          a.requestNote + "\n" + a.requestAgency;
    const float need = font->CalcTextSizeA(font->FontSize, FLT_MAX,
                                           width - 170.0f * f.theme.scale(), shown.c_str())
                           .y +
                       (a.proofCheckedHere ? 0.0f : 2.5f * font->FontSize) + 24.0f;
    const float requestH = std::min(need, room / 3.0f);
    ImGui::BeginChild("###add_request", ImVec2(0, requestH), false);
    dragScroll();
    request(f);
    notes();
    ImGui::EndChild();
    label();
    const float err = a.errors.contains(record::Field::Body) ? 2 * line : 0.0f;
    const float fieldH =
        std::max(line * 1.5f, room - requestH - err - ImGui::GetTextLineHeightWithSpacing() -
                                  3 * ImGui::GetStyle().ItemSpacing.y);
    f.ui.drawField(f, FormField::Supplement, "field_supplement", ImVec2(width, fieldH));
    additionError(f, record::Field::Body);
    f.ui.drawKeyboard(f, kb);
}

// ---- AddReview -----------------------------------------------------------------------------

void addReview(KioskUi::Frame& f) {
    const auto& t = f.t;
    const auto& a = f.s.addition;
    const Palette& p = f.theme.palette();
    title(f, t.get("add.review_title"));
    ImGui::PushFont(f.theme.bodyBold());
    wrappedText(codeWords(f, "add.proof_for"));
    ImGui::PopFont();
    message(f, pathMessage(f));
    if (a.storing) message(f, t.get("rate.sending"), true);
    ImGui::BeginChild("###add_review_body", ImVec2(0, ImGui::GetContentRegionAvail().y - 20.0f),
                      false);
    dragScroll();
    if (!a.requestNote.empty()) {
        ImGui::PushFont(f.theme.bodyBold());
        wrappedText(t.get("add.review_request"), p.muted);
        ImGui::PopFont();
        wrappedText(a.requestNote, p.muted);
        ImGui::Separator();
    }
    const std::string label = t.get("add.text_label");
    if (listen(f, "add_listen_review")) f.emit(intent::SpeakText{label + ". " + a.body});
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::PushFont(f.theme.heading());
    wrappedText(label);
    ImGui::PopFont();
    wrappedText(a.body);
    ImGui::EndGroup();
    if (f.s.staff.assistedNext) wrappedText(t.get("review.assisted"), p.muted);
    ImGui::EndChild();  // "Xác nhận gửi" is in the step bar
}

// ---- AddDone -------------------------------------------------------------------------------

void addDone(KioskUi::Frame& f) {
    if (!f.s.addition.done) return;
    const auto& d = *f.s.addition.done;
    const auto& t = f.t;
    const Palette& p = f.theme.palette();
    const std::string heading = t.format("add.done_title", {{"code", d.parentCode}});
    const std::string status = t.get(f.data.receiptSent ? "add.sent" : "add.recorded");
    centredText(heading, f.theme.heading(), p.success);
    centredText(status, f.theme.bodyBold());
    wrappedText(t.format("add.done_body", {{"code", d.parentCode}}));
    if (!d.proofCheckedHere) wrappedText(t.get("proof.checked_later"), p.muted);
    wrappedText(t.format("add.own_code", {{"code", d.ownCode}}), p.muted);
    if (const std::string line = printLine(f); !line.empty())
        message(f, line, f.s.print != core::PrintState::Failed);
    doneButtons(f, true, heading + ". " + status);
}

// ---- Rate ----------------------------------------------------------------------------------

void rate(KioskUi::Frame& f) {
    const auto& t = f.t;
    const auto& a = f.s.addition;
    title(f, codeWords(f, "rate.title"));
    formAboveKeyboard(f, "###rate_form", [&] {
        const std::string question = t.get("rate.question");
        if (listen(f, "rate_listen")) f.emit(intent::SpeakText{question});
        ImGui::SameLine();
        ImGui::PushFont(f.theme.heading());
        wrappedText(question);
        ImGui::PopFont();
        std::string picked;
        if (faces(f, "rate_", a.rating, false, picked)) f.emit(intent::PickRating{picked});
        additionError(f, record::Field::Rating);
        const float width = ImGui::GetContentRegionAvail().x;
        const float line = 76.0f * f.theme.scale();
        // The reopen hint only where there is height for it (not in landscape).
        const std::string hint = f.portrait ? t.get("rate.reopen_hint") : std::string();
        if (a.rating == record::kRatingUnsatisfied) {
            if (bigButton(f.theme, {t.get("rate.reopen"), hint, a.reopen ? 1 : 0}, "rate_reopen",
                          ImVec2(width, 96.0f * f.theme.scale()),
                          a.reopen ? ButtonKind::Selected : ButtonKind::Secondary,
                          f.theme.bodyBold()))
                f.emit(intent::SetReopen{!a.reopen});
            if (a.reopen) {
                ImGui::TextUnformatted(t.get("rate.reason").c_str());
                field(f, FormField::ReopenReason, "field_reopen_reason",
                      ImVec2(width, line * 1.5f));
                additionError(f, record::Field::ReopenReason);
            }
        }
        ImGui::TextUnformatted(t.get("rate.comment").c_str());
        field(f, FormField::Comment, "field_comment", ImVec2(width, line * 1.5f));
        additionError(f, record::Field::Comment);
        if (!a.proofCheckedHere) wrappedText(t.get("proof.checked_later"), f.theme.palette().muted);
        message(f, pathMessage(f));
        if (a.storing) message(f, t.get("rate.sending"), true);
    });
}

// ---- RateDone ------------------------------------------------------------------------------

void rateDone(KioskUi::Frame& f) {
    if (!f.s.addition.done) return;
    const auto& d = *f.s.addition.done;
    const auto& t = f.t;
    const Palette& p = f.theme.palette();
    const std::string heading = t.get("rate.done_title");
    const std::string body = t.format(
        "rate.done_body", {{"code", d.parentCode}, {"rating", t.get("rating." + d.rating)}});
    centredText(heading, f.theme.heading(), p.success);
    if (const std::string_view face = icons::forRating(d.rating);
        f.theme.iconsLoaded() && !face.empty())
        centredText(face, f.theme.huge(), p.primary);
    wrappedText(body);
    std::string spoken = heading + ". " + body;
    if (d.reopen) {
        message(f, t.get("rate.reopen_asked"), true);
        spoken += " " + t.get("rate.reopen_asked");
    }
    centredText(t.get(f.data.receiptSent ? "add.sent" : "add.recorded"), f.theme.bodyBold());
    if (!d.proofCheckedHere) wrappedText(t.get("proof.checked_later"), p.muted);
    doneButtons(f, false, spoken);
}

}  // namespace kiosk::ui::screens
