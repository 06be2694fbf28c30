#include "record/validation.hpp"

#include <algorithm>

#include "record/receipt_proof.hpp"
#include "record/text.hpp"

namespace ksync::record {
namespace {

bool isCodeChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

bool isValidCode(std::string_view s) {
    return !s.empty() && s.size() <= kMaxCodeChars && std::all_of(s.begin(), s.end(), isCodeChar);
}

FieldError err(Field f, std::string key, std::size_t count = 0, std::size_t max = 0) {
    return FieldError{f, std::move(key), count, max};
}

}  // namespace

std::string_view fieldKey(Field f) {
    switch (f) {
        case Field::Type:
            return "field.type";
        case Field::Category:
            return "field.category";
        case Field::Title:
            return "field.title";
        case Field::Body:
            return "field.body";
        case Field::Ward:
            return "field.ward";
        case Field::LocationAddress:
            return "field.location_address";
        case Field::Name:
            return "field.name";
        case Field::Phone:
            return "field.phone";
        case Field::Email:
            return "field.email";
        case Field::ContactAddress:
            return "field.contact_address";
        case Field::Consent:
            return "field.consent";
        case Field::Channel:
            return "field.channel";
        case Field::Language:
            return "field.language";
        case Field::ParentCode:
            return "field.parent_code";
        case Field::Secret:
            return "field.secret";
        case Field::Rating:
            return "field.rating";
        case Field::Comment:
            return "field.comment";
        case Field::ReopenReason:
            return "field.reopen_reason";
    }
    return "field.body";
}

std::expected<std::string, FieldError> cleanField(std::string_view typed, Field field,
                                                  std::size_t maxChars, Lines lines) {
    if (!isValidUtf8(typed)) return std::unexpected(err(field, "validation.invalid_utf8"));
    std::string clean = cleanText(typed, lines);
    const std::size_t n = countCodepoints(clean);
    if (n > maxChars) {
        const char* key = field == Field::Body    ? "validation.body_too_long"
                          : field == Field::Title ? "validation.title_too_long"
                                                  : "validation.field_too_long";
        return std::unexpected(err(field, key, n, maxChars));
    }
    return clean;
}

std::expected<std::string, FieldError> normalisePhone(std::string_view typed) {
    std::string digits;
    bool plus = false;
    for (size_t i = 0; i < typed.size(); ++i) {
        const char c = typed[i];
        if (c >= '0' && c <= '9') {
            digits.push_back(c);
        } else if (c == '+' && digits.empty() && !plus) {
            plus = true;
        } else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') {
            return std::unexpected(err(Field::Phone, "validation.phone_invalid"));
        }
    }
    if (plus || (digits.size() >= 11 && digits.starts_with("84"))) {
        if (!digits.starts_with("84"))
            return std::unexpected(err(Field::Phone, "validation.phone_invalid"));
        digits = "0" + digits.substr(2);
    }
    const bool mobile = digits.size() == 10 && digits[0] == '0' &&
                        std::string_view("35789").find(digits[1]) != std::string_view::npos;
    const bool landline = digits.size() == 11 && digits.starts_with("02");
    if (!mobile && !landline) return std::unexpected(err(Field::Phone, "validation.phone_invalid"));
    return digits;
}

std::expected<std::string, FieldError> normaliseEmail(std::string_view typed) {
    auto clean = cleanField(typed, Field::Email, kMaxEmailChars);
    if (!clean) return clean;
    const std::string& s = *clean;
    const auto at = s.find('@');
    if (at == std::string::npos || at == 0 || at > 64 || s.find('@', at + 1) != std::string::npos)
        return std::unexpected(err(Field::Email, "validation.email_invalid"));
    const std::string local = s.substr(0, at);
    std::string domain = s.substr(at + 1);
    auto localOk = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               std::string_view("._%+-'").find(c) != std::string_view::npos;
    };
    if (!std::all_of(local.begin(), local.end(), localOk) || local.front() == '.' ||
        local.back() == '.' || local.find("..") != std::string::npos)
        return std::unexpected(err(Field::Email, "validation.email_invalid"));
    std::transform(domain.begin(), domain.end(), domain.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    // Labels of letters, digits and inner hyphens; at least two labels; a TLD of >= 2 letters.
    size_t start = 0;
    int labels = 0;
    std::string_view last;
    while (true) {
        const size_t dot = domain.find('.', start);
        const std::string_view label = std::string_view(domain).substr(
            start, dot == std::string::npos ? std::string::npos : dot - start);
        const bool ok = !label.empty() && label.size() <= 63 && label.front() != '-' &&
                        label.back() != '-' && std::all_of(label.begin(), label.end(), [](char c) {
                            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                        });
        if (!ok) return std::unexpected(err(Field::Email, "validation.email_invalid"));
        ++labels;
        last = label;
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    const bool tldOk = last.size() >= 2 && std::all_of(last.begin(), last.end(),
                                                       [](char c) { return c >= 'a' && c <= 'z'; });
    if (labels < 2 || !tldOk) return std::unexpected(err(Field::Email, "validation.email_invalid"));
    return local + "@" + domain;
}

std::expected<ValidDraft, std::vector<FieldError>> validateDraft(const Draft& d) {
    std::vector<FieldError> errors;
    ValidDraft v;
    // Collects the value or records the error; returns an empty string on error.
    auto take = [&](std::expected<std::string, FieldError> r) {
        if (r) return std::move(*r);
        errors.push_back(std::move(r.error()));
        return std::string{};
    };

    if (auto t = parseRecordType(d.type))
        v.type = *t;
    else
        errors.push_back(err(Field::Type, "validation.type_invalid"));

    if (isValidCode(d.category))
        v.category = d.category;
    else
        errors.push_back(err(Field::Category, "validation.category_required"));

    if (auto c = parseChannel(d.channel))
        v.channel = *c;
    else
        errors.push_back(err(Field::Channel, "validation.channel_invalid"));
    v.staffAssisted = d.staffAssisted;

    if (d.language == "vi" || d.language == "en")
        v.language = d.language;
    else
        errors.push_back(err(Field::Language, "validation.language_invalid"));

    Content& c = v.content;
    const size_t before = errors.size();
    c.body = take(cleanField(d.body, Field::Body, kMaxBodyChars, Lines::Multi));
    if (errors.size() == before && c.body.empty())
        errors.push_back(err(Field::Body, "validation.body_required"));
    c.title = take(cleanField(d.title, Field::Title, kMaxTitleChars));
    if (c.title.empty() && !c.body.empty()) c.title = suggestTitle(c.body);

    const std::string ward = take(cleanField(d.wardCode, Field::Ward, kMaxCodeChars));
    const std::string place =
        take(cleanField(d.locationAddress, Field::LocationAddress, kMaxAddressChars));
    if (!ward.empty() || !place.empty()) c.location = Location{ward, place};

    if (!d.anonymous) {
        Contact contact;
        const size_t mark = errors.size();
        contact.name = take(cleanField(d.name, Field::Name, kMaxNameChars));
        if (errors.size() == mark && contact.name.empty())
            errors.push_back(err(Field::Name, "validation.name_required"));
        const std::string phoneTyped = take(cleanField(d.phone, Field::Phone, 32));
        if (!phoneTyped.empty()) contact.phone = take(normalisePhone(phoneTyped));
        if (!d.email.empty()) contact.email = take(normaliseEmail(d.email));
        contact.address =
            take(cleanField(d.contactAddress, Field::ContactAddress, kMaxAddressChars));
        if (phoneTyped.empty() && d.email.empty() && contact.address.empty())
            errors.push_back(err(Field::Phone, "validation.contact_required"));
        if (!d.consent) errors.push_back(err(Field::Consent, "validation.consent_required"));
        c.contact = std::move(contact);
        c.consent = d.consent;
    }
    c.consentVersion = take(cleanField(d.consentVersion, Field::Consent, kMaxCodeChars));

    if (!errors.empty()) return std::unexpected(std::move(errors));
    return v;
}

namespace {

// The fields supplements and ratings share: the case's code, the proof, channel and language.
void takeCommon(ValidDraft& v, std::vector<FieldError>& errors, std::string_view parentCode,
                std::string_view secret, std::string_view channel, bool staffAssisted,
                std::string_view language, RecordKind kind) {
    v.content.kind = kind;
    v.category = std::string(kindCode(kind));
    auto scanned = parseReceiptPayload(parentCode);
    if (scanned) {
        v.type = scanned->code.type;
        v.content.parentCode = scanned->code.text();
    } else {
        errors.push_back(err(Field::ParentCode, std::string(scanned.error().messageKey())));
    }
    std::string trimmed(secret);
    std::erase_if(trimmed, [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
    if (!trimmed.empty()) {
        if (auto s = parseSecret(trimmed))
            v.content.proof = *s;
        else
            errors.push_back(err(Field::Secret, "validation.secret_invalid"));
    } else if (scanned && scanned->secret) {
        v.content.proof = *scanned->secret;
    } else {
        errors.push_back(err(Field::Secret, "validation.secret_required"));
    }
    if (auto c = parseChannel(channel))
        v.channel = *c;
    else
        errors.push_back(err(Field::Channel, "validation.channel_invalid"));
    v.staffAssisted = staffAssisted;
    if (language == "vi" || language == "en")
        v.language = std::string(language);
    else
        errors.push_back(err(Field::Language, "validation.language_invalid"));
}

}  // namespace

std::expected<ValidDraft, std::vector<FieldError>> validateSupplement(const SupplementDraft& d) {
    std::vector<FieldError> errors;
    ValidDraft v;
    takeCommon(v, errors, d.parentCode, d.secret, d.channel, d.staffAssisted, d.language,
               RecordKind::Supplement);
    auto body = cleanField(d.body, Field::Body, kMaxBodyChars, Lines::Multi);
    if (!body)
        errors.push_back(std::move(body.error()));
    else if (body->empty())
        errors.push_back(err(Field::Body, "validation.body_required"));
    else {
        v.content.body = std::move(*body);
        v.content.title = suggestTitle(v.content.body);
    }
    if (!errors.empty()) return std::unexpected(std::move(errors));
    return v;
}

std::expected<ValidDraft, std::vector<FieldError>> validateRating(const RatingDraft& d) {
    std::vector<FieldError> errors;
    ValidDraft v;
    takeCommon(v, errors, d.parentCode, d.secret, d.channel, d.staffAssisted, d.language,
               RecordKind::Rating);
    if (isRatingCode(d.rating))
        v.content.rating = d.rating;
    else
        errors.push_back(err(Field::Rating, "validation.rating_invalid"));
    if (auto c = cleanField(d.comment, Field::Comment, kMaxCommentChars, Lines::Multi))
        v.content.body = std::move(*c);
    else
        errors.push_back(std::move(c.error()));
    if (d.reopen) {
        if (d.rating != kRatingUnsatisfied)
            errors.push_back(err(Field::Rating, "validation.reopen_needs_unsatisfied"));
        auto reason =
            cleanField(d.reopenReason, Field::ReopenReason, kMaxCommentChars, Lines::Multi);
        if (!reason)
            errors.push_back(std::move(reason.error()));
        else if (reason->empty())
            errors.push_back(err(Field::ReopenReason, "validation.reason_required"));
        else
            v.content.reopenReason = std::move(*reason);
        v.content.reopen = true;
    }
    if (!errors.empty()) return std::unexpected(std::move(errors));
    return v;
}

}  // namespace ksync::record
