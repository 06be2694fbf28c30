#pragma once
// What a resident can add to a case once it is submitted (issue #14), as the screens ask it:
// whether the tracking story offers "Bổ sung thông tin" or the rating, and why not. The
// transitions are the Flow's (flow_addition.cpp).
//
// Pure; thread-safe.
#include <string>

#include "core/flow_types.hpp"

namespace kiosk::core {

bool isAdditionScreen(Screen s);
// The story offers "Bổ sung thông tin": the case is found and not answered or closed yet (also,
// and most of all, when it asks for information), and its path is not closed this session.
bool canSupplement(const State& s);
// The story asks "Bạn có hài lòng với kết quả giải quyết?": the case has a published answer.
bool canRate(const State& s);
// proof.too_many / proof.old_receipt when the path of the code on the story is closed this
// session, else "".
std::string proofClosedKey(const State& s);

}  // namespace kiosk::core
