#include "app/receipt_builder.hpp"

#include <algorithm>

#include "calendar/working_days.hpp"
#include "clock/clock.hpp"
#include "core/tracking_story.hpp"
#include "print/local_date.hpp"
#include "record/receipt_proof.hpp"

namespace kiosk::app {

namespace print = platform::print;

namespace {

// Local civil time in Vietnam (UTC+7, no daylight saving).
print::LocalDateTime localDateTime(std::chrono::system_clock::time_point utc) {
    const auto local = std::chrono::floor<std::chrono::seconds>(utc + std::chrono::hours(7));
    const auto day = std::chrono::floor<std::chrono::days>(local);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{local - day};
    return print::LocalDateTime{
        print::LocalDate{static_cast<int>(ymd.year()), static_cast<int>(unsigned(ymd.month())),
                         static_cast<int>(unsigned(ymd.day()))},
        static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
        static_cast<int>(hms.seconds().count())};
}

}  // namespace

std::string trackingUrl(const ksync::proto::BackendConfig& c, const std::string& trackingCode) {
    std::string base =
        c.trackingBaseUrl.empty() ? std::string("HTTPS://TRA.CUU.GOV.VN/T/") : c.trackingBaseUrl;
    std::transform(base.begin(), base.end(), base.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    return base + trackingCode;
}

std::string shortUrl(const ksync::proto::BackendConfig& c) {
    std::string base =
        c.trackingBaseUrl.empty() ? std::string("HTTPS://TRA.CUU.GOV.VN/T/") : c.trackingBaseUrl;
    if (auto p = base.find("://"); p != std::string::npos) base = base.substr(p + 3);
    while (!base.empty() && base.back() == '/') base.pop_back();
    std::transform(base.begin(), base.end(), base.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return base;
}

print::ReceiptInput receiptInputFor(const ksync::record::Record& r,
                                    const ksync::store::KioskSettings& s,
                                    const ksync::proto::BackendConfig& c,
                                    const std::string& language) {
    print::ReceiptInput in;
    in.centreName = s.centre;
    in.typeCode = std::string(ksync::record::typeCode(r.header.type));
    in.trackingCode = r.header.trackingCode;
    // The one place the QR payload is made (record/receipt_proof.hpp): the URL, and the secret
    // after '#' when the record was just made (a reprint no longer knows it).
    in.trackingUrl =
        ksync::record::receiptQrPayload(trackingUrl(c, r.header.trackingCode), r.receiptSecret);
    if (!r.receiptSecret.empty()) in.secretText = ksync::record::formatSecret(r.receiptSecret);
    // A case's receipt printed again: the slip says the secret is only on the first one.
    in.reprintWithoutSecret = r.receiptSecret.empty() && r.header.category != "supplement" &&
                              r.header.category != "rating";
    in.shortUrl = shortUrl(c);
    in.createdAt = localDateTime(
        platform::clock::parseUtc(r.header.createdAt).value_or(platform::clock::now()));
    const auto* cat = c.findCategory(r.header.category);
    in.category = cat ? (language == "en" ? cat->nameEn : cat->nameVi) : r.header.category;
    // A sealed record (a reprint after the kiosk restarted) no longer shows who sent it.
    in.senderWithheld = r.sealed;
    in.anonymous = !r.content.contact.has_value();
    if (r.content.contact) {
        in.contactName = r.content.contact->name;
        in.contactPhone = r.content.contact->phone;
    }
    in.hotline = c.hotline;
    // One calendar for every deadline (sync/calendar, the config's holidays and swapped days),
    // and the category's own reply days before the type's.
    const ksync::calendar::Date day{in.createdAt.date.year, in.createdAt.date.month,
                                    in.createdAt.date.day};
    const auto due = ksync::proto::workingCalendar(c).addWorkingDays(
        day, c.replyDaysFor(in.typeCode, r.header.category));
    in.replyBy = print::LocalDate{due.year, due.month, due.day};
    return in;
}

std::optional<print::AnswerSlip> answerSlipFor(const std::string& code,
                                               const std::vector<core::StatusEntry>& timeline,
                                               const ksync::store::KioskSettings& s,
                                               const ksync::proto::BackendConfig& c,
                                               std::chrono::system_clock::time_point printedAt) {
    // Only which step is the answer matters here, not the deadline: the rules can stay empty.
    const auto story = core::tellStory(code, timeline, {}, ksync::calendar::Date{});
    if (!story.answer) return std::nullopt;
    const core::StoryStep& step = story.steps[*story.answer];
    print::AnswerSlip a;
    a.centreName = s.centre;
    a.typeCode = code.substr(0, code.find('-'));
    a.trackingCode = code;
    a.trackingUrl = trackingUrl(c, code);
    a.shortUrl = shortUrl(c);
    a.agency = step.agency;
    a.officer = step.officer;
    if (auto d = ksync::calendar::localDateOf(step.at))
        a.answeredOn = print::LocalDate{d->year, d->month, d->day};
    a.text = step.note;
    a.printedAt = localDateTime(printedAt);
    return a;
}

core::ReceiptInfo receiptInfoFor(const print::Receipt& receipt) {
    core::ReceiptInfo info;
    info.trackingCode = receipt.trackingCode;
    info.trackingUrl = receipt.trackingUrl;
    info.secretText = receipt.secretText;
    info.type = receipt.typeCode;
    info.createdAtLocal = print::formatDateTimeVi(receipt.createdAt);
    info.categoryName = receipt.category;
    info.expectedReplyDate = print::formatDateVi(receipt.replyBy);
    if (!receipt.anonymous) {
        info.maskedContact = receipt.maskedName;
        if (!receipt.maskedPhone.empty())
            info.maskedContact += (info.maskedContact.empty() ? "" : " · ") + receipt.maskedPhone;
    }
    return info;
}

}  // namespace kiosk::app
