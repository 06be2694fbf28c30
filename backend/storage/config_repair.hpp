#pragma once
// What a database migration repairs from the config history (migration 10, both engines): the
// cases left behind by admin edits made before such edits carried stored cases along.
//   - An agency renamed on the admin page left the cases forwarded under its old name there
//     (its officers, who followed the rename, no longer saw them): each former name of an
//     agency (as the history shows it) is carried to its current name, unless another agency
//     has that name now or two agencies once had it (then nothing is guessed).
//   - A kiosk's ward applied only to cases received after it was set: the kiosk's cases
//     without a ward take the ward it has in the served document (cases with one keep it).
// Pure; safe from any thread.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ksync::backend {

struct ConfigRepair {
    std::vector<std::pair<std::string, std::string>> agencyRenames;  // former -> current
    std::map<std::string, std::string> kioskWards;                   // kiosk -> ward
};

// `historyOldestFirst`: config_versions documents by seq; `served`: the served document ("" when
// none is stored). Documents that do not parse are skipped.
ConfigRepair configRepair(const std::vector<std::string>& historyOldestFirst,
                          const std::string& served);

}  // namespace ksync::backend
