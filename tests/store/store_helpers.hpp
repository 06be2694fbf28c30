#pragma once
#include <catch2/catch.hpp>

#include "clock/clock.hpp"
#include "record/validation.hpp"
#include "store/store.hpp"

namespace storetest {

inline ksync::record::ValidDraft validDraft(std::string body, std::string type = "PAKN") {
    ksync::record::Draft d;
    d.type = std::move(type);
    d.category = "MOI_TRUONG";
    d.body = std::move(body);
    auto v = ksync::record::validateDraft(d);
    REQUIRE(v);
    return *v;
}

inline ksync::store::Store openStore(const std::filesystem::path& file) {
    auto s = ksync::store::Store::open(file);
    if (!s) FAIL("open failed: " << s.error().detail);
    return std::move(*s);
}

inline ksync::record::Record create(ksync::store::Store& s, const ksync::record::ValidDraft& d) {
    auto r = s.createRecord(d, "7K3M", platform::clock::formatUtc(platform::clock::now()), false);
    if (!r) FAIL("create failed: " << r.error().detail);
    return *r;
}

}  // namespace storetest
