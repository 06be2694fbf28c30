#include "console/export.hpp"

#include <algorithm>

#include "record/record.hpp"

namespace ksync::backend {

std::string csvCell(const std::string& v) {
    std::string out = "\"";
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) out += '\'';
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::function<bool(const HttpReply::Writer&)> streamCaseExport(
    BackendStorage& storage, CaseExport e, std::function<void(const StorageError&)> onError) {
    return [&storage, e = std::move(e),
            onError = std::move(onError)](const HttpReply::Writer& write) mutable {
        std::string head =
            "\xEF\xBB\xBF"  // a BOM, so that spreadsheets read UTF-8
            "code,type,category,ward,kiosk,channel,created_at,received_at,deadline,status,agency";
        if (e.contact) head += ",contact_name,contact_phone,contact_email,contact_address";
        head += "\r\n";
        if (!write(head)) return false;
        CaseQuery q = e.query;
        q.limit = std::clamp<std::size_t>(e.pageSize, 1, 500);
        auto name = [](const std::map<std::string, std::string>& m, const std::string& k) {
            auto it = m.find(k);
            return it == m.end() ? k : it->second;
        };
        std::string chunk;
        for (;;) {
            auto rows = storage.cases(q);
            if (!rows) {
                if (onError) onError(rows.error());
                return false;
            }
            std::vector<std::pair<std::int64_t, std::string>> contents;
            if (e.contact && !rows->empty()) {
                std::vector<std::int64_t> rids;
                rids.reserve(rows->size());
                for (const auto& c : *rows) rids.push_back(c.rid);
                std::sort(rids.begin(), rids.end());
                auto got = storage.caseContents(rids);
                if (!got) {
                    if (onError) onError(got.error());
                    return false;
                }
                contents = std::move(*got);
            }
            chunk.clear();
            for (const auto& c : *rows) {
                chunk += csvCell(c.trackingCode) + "," + csvCell(c.type) + "," +
                         csvCell(name(e.categoryNames, c.category)) + "," +
                         csvCell(name(e.wardNames, c.ward)) + "," + csvCell(c.kioskId) + "," +
                         csvCell(c.channel) + "," + csvCell(c.createdAt) + "," +
                         csvCell(c.receivedAt) + "," + csvCell(c.deadline) + "," +
                         csvCell(c.status) + "," + csvCell(c.agency);
                if (e.contact) {
                    record::Contact k;
                    auto it = std::lower_bound(
                        contents.begin(), contents.end(), c.rid,
                        [](const auto& x, std::int64_t rid) { return x.first < rid; });
                    if (it != contents.end() && it->first == c.rid)
                        if (auto content = record::decodeContent(it->second);
                            content && content->contact)
                            k = *content->contact;
                    chunk += "," + csvCell(k.name) + "," + csvCell(k.phone) + "," +
                             csvCell(k.email) + "," + csvCell(k.address);
                }
                chunk += "\r\n";
            }
            if (!chunk.empty() && !write(chunk)) return false;
            if (rows->size() < q.limit) return true;
            q.hasCursor = true;
            q.afterDeadline = rows->back().deadline;
            q.afterRid = rows->back().rid;
        }
    };
}

}  // namespace ksync::backend
