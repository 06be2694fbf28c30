#include "print/receipt.hpp"

#include "print/contact_mask.hpp"
#include "print/font.hpp"

namespace platform::print {

Receipt makeReceipt(const ReceiptInput& in) {
    Receipt r;
    r.centreName = toNfc(in.centreName);
    r.typeCode = in.typeCode;
    r.trackingCode = in.trackingCode;
    r.trackingUrl = in.trackingUrl;
    r.secretText = in.secretText;
    r.reprintWithoutSecret = in.reprintWithoutSecret && in.secretText.empty();
    r.slipTitle = toNfc(in.slipTitle);
    r.shortUrl = toNfc(in.shortUrl);
    r.createdAt = in.createdAt;
    r.category = toNfc(in.category);
    r.hotline = toNfc(in.hotline);
    if (!in.anonymous) {
        r.maskedName = maskName(in.contactName);
        r.maskedPhone = maskPhone(in.contactPhone);
    }
    r.anonymous = r.maskedName.empty() && r.maskedPhone.empty();
    r.senderWithheld = in.senderWithheld;
    r.replyBy = in.replyBy;
    return r;
}

std::string receiptTitleKey(const std::string& typeCode) {
    return typeCode == "SKGP" ? "receipt.title.SKGP" : "receipt.title.PAKN";
}

}  // namespace platform::print
