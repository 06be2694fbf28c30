#pragma once
// Turning what a person typed into record content: cleaning (UTF-8, NFC, control
// characters) and checking, with one message key per problem (assets/strings: validation.*).
// Pure functions; safe from any thread.
#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "record/record.hpp"
#include "record/text.hpp"

namespace ksync::record {

inline constexpr std::size_t kMaxBodyChars = 64000;
inline constexpr std::size_t kMaxTitleChars = 200;
inline constexpr std::size_t kSuggestedTitleChars = 120;
inline constexpr std::size_t kMaxNameChars = 100;
inline constexpr std::size_t kMaxAddressChars = 300;
inline constexpr std::size_t kMaxEmailChars = 254;
inline constexpr std::size_t kMaxCodeChars = 64;  // category and ward codes

// What the screens or `kioskctl submit` collected, as typed.
struct Draft {
    std::string type;  // "PAKN" or "SKGP"
    std::string category;
    std::string title;  // empty: suggested from the body
    std::string body;
    std::string wardCode;
    std::string locationAddress;
    bool anonymous = true;  // when true the contact fields are ignored
    std::string name;
    std::string phone;
    std::string email;
    std::string contactAddress;
    bool consent = false;
    std::string consentVersion;
    std::string channel = "kiosk";
    bool staffAssisted = false;
    std::string language = "vi";
};

enum class Field {
    Type,
    Category,
    Title,
    Body,
    Ward,
    LocationAddress,
    Name,
    Phone,
    Email,
    ContactAddress,
    Consent,
    Channel,
    Language,
    ParentCode,
    Secret,
    Rating,
    Comment,
    ReopenReason,  // supplements and ratings (issue #14)
};
std::string_view fieldKey(Field f);  // key of the field's label in assets/strings (field.*)

struct FieldError {
    Field field;
    std::string messageKey;  // validation.* in assets/strings
    std::size_t count = 0;   // {count} in the message, where it has one
    std::size_t max = 0;     // {max} in the message, where it has one
};

// Everything of a record that comes from the person, cleaned and checked; the store adds the
// ids, sequence, code, times and hashes.
struct ValidDraft {
    RecordType type = RecordType::Pakn;
    std::string category;
    Channel channel = Channel::Kiosk;
    bool staffAssisted = false;
    std::string language;
    Content content;  // salt left empty
};

// All problems at once (one per field at most), so a screen can mark every field.
std::expected<ValidDraft, std::vector<FieldError>> validateDraft(const Draft& d);

inline constexpr std::size_t kMaxCommentChars = 2000;  // a rating's comment and reopen reason

// Information added later to a case (Bổ sung thông tin): the case's code and receipt secret as
// typed or scanned, and the text, checked exactly as a submission's body.
struct SupplementDraft {
    std::string parentCode;  // any form parseTrackingCode takes (also the whole QR payload)
    std::string secret;  // any form parseSecret takes; empty: taken from a QR payload in parentCode
    std::string body;
    std::string channel = "kiosk";
    bool staffAssisted = false;
    std::string language = "vi";
};

// The resident's rating of the answer: one of kRating*, an optional comment, and with
// chua_hai_long optionally a request to reopen the case with its reason.
struct RatingDraft {
    std::string parentCode;
    std::string secret;
    std::string rating;
    std::string comment;
    bool reopen = false;
    std::string reopenReason;
    std::string channel = "kiosk";
    bool staffAssisted = false;
    std::string language = "vi";
};

// ValidDraft for a supplement or rating: type from the case's code, category "supplement" or
// "rating", content.kind / parentCode (canonical) / proof (compact) set. A missing or malformed
// secret is refused here (validation.secret_required / validation.secret_invalid): a code alone
// never makes a supplement. Whether the secret is the right one is for the kiosk that made the
// case (Store::checkProof) and the backend.
std::expected<ValidDraft, std::vector<FieldError>> validateSupplement(const SupplementDraft& d);
std::expected<ValidDraft, std::vector<FieldError>> validateRating(const RatingDraft& d);

// Single-field checks, for validating while the person types.
// Phone: digits with optional spaces, dots, dashes or brackets; 0xxxxxxxxx (10 digits, mobile)
// or 02xxxxxxxxx (11 digits, landline); +84 / 84 prefixes accepted. Returns the digits, e.g.
// "0912345678".
std::expected<std::string, FieldError> normalisePhone(std::string_view typed);
std::expected<std::string, FieldError> normaliseEmail(std::string_view typed);
// Clean (valid UTF-8, NFC, no controls) and within maxChars; `field` names the field in errors.
std::expected<std::string, FieldError> cleanField(std::string_view typed, Field field,
                                                  std::size_t maxChars,
                                                  Lines lines = Lines::Single);

// A title (trích yếu) from the body: the first sentence or clause after any salutation line,
// cut at a word boundary, at most kSuggestedTitleChars code points. Precondition: valid UTF-8.
std::string suggestTitle(std::string_view body);

}  // namespace ksync::record
