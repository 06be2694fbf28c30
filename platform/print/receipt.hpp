#pragma once
// The receipt a resident takes home: plain data, already stripped of personal data (the
// contact is masked when the Receipt is made, so a Receipt can be queued, logged or reprinted
// without carrying a full name or phone). Depends on nothing above the platform layer.
#include <optional>
#include <string>
#include <vector>

#include "print/local_date.hpp"

namespace platform::print {

// What the caller knows when a record has been committed.
struct ReceiptInput {
    std::string centreName;    // "Trung tâm Phục vụ hành chính công phường Sài Gòn"
    std::string typeCode;      // "PAKN" or "SKGP"
    std::string trackingCode;  // "PAKN-7K3M-000123-X"
    std::string trackingUrl;   // "HTTPS://TRA.CUU.GOV.VN/T/PAKN-7K3M-000123-X" (goes in the QR)
                               // with "#SECRET" after it on new receipts (sync receipt_proof.hpp)
    std::string secretText;    // "K3M7-X9QA-RT5PW": the receipt secret as printed; "" for none
    // A reprint of a case (issue #14): nothing keeps the secret, so the slip says it is only on
    // the first receipt (receipt.reprint_no_secret).
    bool reprintWithoutSecret = false;
    // A slip that is not a case's receipt (issue #14: "Đã bổ sung thông tin cho PAKN-…"): its
    // own title instead of the receipt's, and no category, sender or reply date. "" for a receipt.
    std::string slipTitle;
    std::string shortUrl;     // "tra.cuu.gov.vn" (printed as text)
    LocalDateTime createdAt;  // local time of the kiosk
    std::string category;     // display name, "Môi trường, vệ sinh"
    bool anonymous = true;
    std::string contactName;   // full name; ignored when anonymous
    std::string contactPhone;  // full phone; ignored when anonymous
    // A reprint of a record whose content is sealed: the kiosk no longer knows the sender.
    bool senderWithheld = false;
    std::string hotline;  // "1022"
    // The expected reply date, computed by the caller with the config's working-day calendar
    // (sync/calendar: holidays, swapped days, per-type and per-category deadlines), the same
    // one the backend counts a case's deadline with. The platform keeps no calendar of its own.
    LocalDate replyBy;
};

struct Receipt {
    std::string centreName;
    std::string typeCode;
    std::string trackingCode;
    std::string trackingUrl;
    std::string secretText;
    bool reprintWithoutSecret = false;
    std::string slipTitle;  // "" for a case's receipt
    std::string shortUrl;
    LocalDateTime createdAt;
    std::string category;
    bool anonymous = true;
    std::string maskedName;   // "Nguyễn V. A." or ""
    std::string maskedPhone;  // "09xx xxx 123" or ""
    bool senderWithheld = false;
    LocalDate replyBy;
    std::string hotline;
};

// Masks the contact (maskName/maskPhone), computes the reply date if needed and normalises
// all text to NFC. A contact with neither a name nor a phone is treated as anonymous.
Receipt makeReceipt(const ReceiptInput& input);

// "receipt.title.PAKN" / "receipt.title.SKGP" (unknown types use the PAKN title).
std::string receiptTitleKey(const std::string& typeCode);

}  // namespace platform::print
