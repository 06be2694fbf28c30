#pragma once
// One function per screen; each only draws and emits intents (the core decides).
#include "ui/kiosk_ui.hpp"

namespace kiosk::ui::screens {

void welcome(KioskUi::Frame& f);
void category(KioskUi::Frame& f);
void content(KioskUi::Frame& f);
void contact(KioskUi::Frame& f);
void review(KioskUi::Frame& f);
void receipt(KioskUi::Frame& f);
void trackEntry(KioskUi::Frame& f);
void trackResult(KioskUi::Frame& f);
void staffPin(KioskUi::Frame& f);
void staffPanel(KioskUi::Frame& f);
// Issue #14 (addition_screens.cpp).
void addProof(KioskUi::Frame& f);
void addText(KioskUi::Frame& f);
void addReview(KioskUi::Frame& f);
void addDone(KioskUi::Frame& f);
void rate(KioskUi::Frame& f);
void rateDone(KioskUi::Frame& f);
// The tracking story's offer: "Bổ sung thông tin", the rating question with its faces, or why
// the path is closed. storyOffers: whether there is one to draw. `column`: drawn in a narrow
// side column (landscape).
bool storyOffers(const KioskUi::Frame& f);
void storyOffer(KioskUi::Frame& f, bool column);

// Shared pieces.
void title(KioskUi::Frame& f, std::string_view text);
void banner(KioskUi::Frame& f);  // the flow's bannerKey, if any, in a coloured box
void fieldError(KioskUi::Frame& f, ksync::record::Field field);
// A row with a big primary button on the right (Next / Confirm); returns true when tapped.
bool nextButton(KioskUi::Frame& f, std::string_view labelKey, std::string_view id);

}  // namespace kiosk::ui::screens
