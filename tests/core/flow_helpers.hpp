#pragma once
#include <catch2/catch.hpp>

#include "core/flow.hpp"

namespace flowtest {

using namespace kiosk::core;

// Drives a Flow with a clock that advances 100 ms per intent unless told otherwise.
struct Driver {
    Flow flow;
    std::int64_t now = 1'000'000;
    std::vector<Effect> last;

    explicit Driver(FlowConfig c = {}) : flow(c) {}
    const State& s() const { return flow.state(); }
    std::vector<Effect>& operator()(const Intent& i) {
        now += 100;
        last = flow.apply(i, now);
        return last;
    }
    void wait(std::int64_t ms) {
        now += ms;
        last = flow.apply(intent::Tick{}, now);
    }
    template <class E>
    const E* effect() const {
        for (const auto& e : last)
            if (auto p = std::get_if<E>(&e)) return p;
        return nullptr;
    }
    // Welcome -> Category -> Content with a valid body.
    void toContent(const std::string& type = "PAKN") {
        (*this)(intent::Start{type});
        (*this)(intent::PickCategory{"MOI_TRUONG"});
        REQUIRE(s().screen == Screen::Content);
    }
    void toReviewAnonymous() {
        toContent();
        (*this)(intent::SetText{FormField::Body,
                                "Cống thoát nước ở chợ Bến Thành bị tắc. Mùi hôi rất khó chịu."});
        (*this)(intent::Next{});
        REQUIRE(s().screen == Screen::Contact);
        (*this)(intent::ChooseContact{ContactChoice::Anonymous});
        (*this)(intent::Next{});
        REQUIRE(s().screen == Screen::Review);
    }
};

inline ReceiptInfo sampleReceipt(const std::string& code = "PAKN-7K3M-000001-0") {
    return ReceiptInfo{code,
                       "HTTPS://TRA.CUU.GOV.VN/T/" + code,
                       "PAKN",
                       "10:00 23/11/2026",
                       "Môi trường",
                       "07/12/2026",
                       ""};
}

}  // namespace flowtest
