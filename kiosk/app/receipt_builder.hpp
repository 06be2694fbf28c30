#pragma once
// From a committed record to what the receipt shows: pure, no I/O.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/flow_types.hpp"
#include "print/answer_slip.hpp"
#include "print/receipt.hpp"
#include "proto/backend_config.hpp"
#include "record/record.hpp"
#include "store/data_dir.hpp"

namespace kiosk::app {

// The receipt's input (contact is masked later by platform::print::makeReceipt). The record
// must still hold its plain content: receipts are made before the content is sealed.
platform::print::ReceiptInput receiptInputFor(const ksync::record::Record& r,
                                              const ksync::store::KioskSettings& s,
                                              const ksync::proto::BackendConfig& c,
                                              const std::string& language);

// The published answer of `code` as a slip (*In kết quả*), from its timeline oldest first as
// the tracking screen has it (the answer is the story's: core::tellStory); nullopt while no
// answer is published.
std::optional<platform::print::AnswerSlip> answerSlipFor(
    const std::string& code, const std::vector<core::StatusEntry>& timeline,
    const ksync::store::KioskSettings& s, const ksync::proto::BackendConfig& c,
    std::chrono::system_clock::time_point printedAt);

// What the receipt screen shows, from the same data.
core::ReceiptInfo receiptInfoFor(const platform::print::Receipt& receipt);

// "HTTPS://HOST/T/CODE" from the config's base URL.
std::string trackingUrl(const ksync::proto::BackendConfig& c, const std::string& trackingCode);
// "tra.cuu.gov.vn/t" for the printed text: the host part, lower case.
std::string shortUrl(const ksync::proto::BackendConfig& c);

}  // namespace kiosk::app
